import { checkRequirement } from '../triage/fix-forms.js';
import type { Fault } from './compile.js';
import type { FixSpec } from './schema.js';

export interface LabCheckOptions {
  /**
   * Also require every fix (and form) shown to users to be run by a scenario, or to carry
   * `unverified`, and every fix that was run to be verified in at least one world.
   */
  strict?: boolean;
}

function lookupFix(fault: Fault, key: string): { fix: FixSpec | null; requires: Record<string, string>; problem: string | null } {
  const [fixId, formId] = key.split('/') as [string, string | undefined];
  const fix = fault.fixes.find((f) => f.id === fixId) ?? null;
  if (!fix) return { fix: null, requires: {}, problem: `'${key}' names no fix of this fault (fixes: ${fault.fixes.map((f) => f.id).join(', ')})` };
  if (formId === undefined) return { fix, requires: fix.requires ?? {}, problem: null };
  const form = fix.forms.find((f) => f.id === formId);
  if (!form) return { fix, requires: {}, problem: `'${key}': fix ${fixId} has no form '${formId}'${fix.forms.length ? ` (forms: ${fix.forms.map((f) => f.id).join(', ')})` : ''}` };
  return { fix, requires: form.requires, problem: null };
}

/** 'admits' when every range holds for the world's versions, 'excludes' when one fails. */
function admission(requires: Record<string, string>, versions: Record<string, string>): 'admits' | 'excludes' | 'unknown' {
  let verdict: 'admits' | 'unknown' = 'admits';
  for (const [lib, range] of Object.entries(requires)) {
    const r = checkRequirement(range, versions[lib]);
    if (r === 'no') return 'excludes';
    if (r === 'unknown') verdict = 'unknown';
  }
  return verdict;
}

/**
 * The fault file's lab section against the rest of the file: scenarios name real causes and
 * fixes, and each fix's `requires` agrees with what the lab recorded (a world the range admits
 * must have the fix verified; a world where it was verified must be admitted).
 */
export function labProblems(fault: Fault, options: LabCheckOptions = {}): string[] {
  const lab = fault.lab;
  const problems: string[] = [];
  const causes = fault.causes.map((c) => c.id);
  const run = new Set<string>();
  const seen = new Set<string>();
  (lab?.scenarios ?? []).forEach((s, i) => {
    if (seen.has(s.id)) problems.push(`lab.scenarios[${i}].id: '${s.id}' appears twice`);
    seen.add(s.id);
    if (s.cause !== null && !causes.includes(s.cause)) problems.push(`lab.scenarios[${i}].cause: '${s.cause}' is not a cause of this fault (causes: ${causes.join(', ')})`);
    s.fixes.forEach((key, j) => {
      run.add(key);
      const { problem } = lookupFix(fault, key);
      if (problem) problems.push(`lab.scenarios[${i}].fixes[${j}]: ${problem}`);
    });
  });
  for (const [world, result] of Object.entries(lab?.results ?? {})) {
    for (const [sid, scenario] of Object.entries(result.scenarios)) {
      if (!seen.has(sid)) {
        problems.push(`lab.results.${world}.scenarios.${sid}: no such scenario any more; run 'npm run lab -- --record --only ${fault.id}'`);
        continue;
      }
      for (const [key, status] of Object.entries(scenario.fixes)) {
        const { fix, requires, problem } = lookupFix(fault, key);
        if (problem || !fix) continue;
        const verdict = admission(requires, result.versions);
        const range = Object.entries(requires).map(([lib, r]) => `${lib} ${r}`).join(', ') || 'nothing';
        const shown = Object.keys(requires).map((lib) => `${lib} ${result.versions[lib] ?? '?'}`).join(', ');
        if (status.status === 'verified' && verdict === 'excludes') {
          problems.push(`fix ${key}: the lab verified it on ${world} (${shown}) but requires (${range}) excludes that version; widen requires`);
        }
        if (status.status === 'fails' && verdict === 'admits') {
          problems.push(`fix ${key}: requires (${range}) admits ${world}${shown ? ` (${shown})` : ''}, yet the lab found it fails there${status.detail ? ` (${status.detail})` : ''}; narrow requires, or fix the fix`);
        }
      }
    }
  }
  if (options.strict) {
    const results = Object.values(lab?.results ?? {});
    for (const fix of fault.fixes) {
      for (const key of [fix.id, ...fix.forms.map((f) => `${fix.id}/${f.id}`)]) {
        if (fix.unverified) continue;
        if (!run.has(key)) {
          if (!lab?.unreproducible) problems.push(`fix ${key} is shown to users but no lab scenario runs it; run it in a scenario or say why in its 'unverified'`);
          continue;
        }
        const statuses = results.flatMap((r) => Object.values(r.scenarios).map((s) => s.fixes[key]?.status)).filter(Boolean);
        if (statuses.length && !statuses.includes('verified')) problems.push(`fix ${key} was verified in no world (${[...new Set(statuses)].join(', ')}); rewrite it until it runs clean, remove it, or say why in 'unverified'`);
      }
    }
  }
  return problems;
}
