import type { CauseSpec, FaultFile, FixSpec, LabSpec, TextSpec } from './schema.js';

import { ROLE_ALIASES, ROLES } from '../triage/names/roles.js';

/**
 * Placeholders the engine fills from any paste: the roles of bot/triage/names/roles.ts and their
 * aliases (knowledge/README.md, "Placeholders and roles").
 */
export const KNOWN_PLACEHOLDERS: Record<string, { fallback: string; en: string; ja: string }> = {
  ...ROLES,
  ...Object.fromEntries(Object.entries(ROLE_ALIASES).map(([alias, role]) => [alias, ROLES[role]])),
};

export interface CompiledClue {
  kind: 'frame' | 'code' | 'message' | 'text';
  re: RegExp;
  weight: number;
}

export interface CompiledCause extends Omit<CauseSpec, 'clues'> {
  clues: CompiledClue[];
}

export interface CompiledSignature {
  faultId: string;
  index: number;
  type: string | null;
  /** Last dotted segment of `type`. */
  typeShort: string | null;
  message: RegExp | null;
  /** Lower-case word the message regex cannot match without: the index key. */
  anchor: string | null;
  code: string | null;
  /** Must match a frame path or a line of the paste for the signature to count. */
  context: RegExp | null;
  /** Must match no frame path and no line of the paste for the signature to count. */
  contextUnless: RegExp | null;
}

export interface Fault {
  id: string;
  file: string;
  library: string;
  stack: string[];
  title: TextSpec;
  summary: TextSpec;
  /** The structural change that stops the fault recurring, for the weekly digest. */
  fixOnce: TextSpec | null;
  signatures: CompiledSignature[];
  codes: string[];
  /** PostgreSQL SQLSTATEs this fault is (`42P01`), matched like codes (knowledge/README.md, "SQLSTATEs"). */
  sqlstates: string[];
  /** Messages of those SQLSTATEs that are another mistake: the SQLSTATE alone does not decide them. */
  sqlstateUnless: RegExp[];
  phrases: string[];
  priority: number;
  /** A client's symptom of a connection the server ended: the server's own line in the paste wins (knowledge/README.md). */
  symptom: boolean;
  causes: CompiledCause[];
  fixes: FixSpec[];
  placeholders: FaultFile['placeholders'];
  examples: FaultFile['examples'];
  counterexamples: FaultFile['counterexamples'];
  /** The lab's programs for this fault and what they showed (knowledge/lab/README.md). */
  lab: LabSpec | null;
  /** Every regex source in the file with where it came from, for the backtracking check. */
  regexSources: { field: string; source: string }[];
}

/** `(?i)` at the start of a pattern means case-insensitive (JavaScript has no inline flags). */
export function compilePattern(source: string): RegExp {
  return source.startsWith('(?i)') ? new RegExp(source.slice(4), 'i') : new RegExp(source);
}

/**
 * The literal runs a regex source cannot match without: text at nesting depth 0, outside
 * classes, groups and optional parts. Returns null when the pattern has a top-level `|`.
 */
export function literalRuns(source: string): string[] | null {
  const src = source.startsWith('(?i)') ? source.slice(4) : source;
  const runs: string[] = [];
  let run = '';
  // A run that ends at a group or escape may be cut mid-word; `#` marks such an edge.
  const close = (edge: boolean): void => {
    if (run) runs.push(run + (edge ? '#' : ''));
    run = edge ? '#' : '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    const next = src[i + 1] ?? '';
    const quantified = next === '?' || next === '*' || next === '{';
    if (ch === '\\') {
      const esc = next;
      i++;
      if (/[dDwWsSbBnrtfv0-9kpPux]/.test(esc)) { close(true); continue; }
      if (src[i + 1] === '?' || src[i + 1] === '*' || src[i + 1] === '{') { close(true); continue; }
      run += esc;
      continue;
    }
    if (ch === '|') return null;
    if (ch === '(' || ch === '[') {
      let depth = 0;
      let j = i;
      let inClass = false;
      for (; j < src.length; j++) {
        const c = src[j];
        if (c === '\\') { j++; continue; }
        if (ch === '[') { if (c === ']' && j > i) break; continue; }
        // A `(` or `)` inside a character class within the group is not nesting: `(?<![("])`.
        if (inClass) { if (c === ']') inClass = false; continue; }
        if (c === '[') { inClass = true; continue; }
        if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
      }
      i = j;
      close(true);
      continue;
    }
    if ('.^$+*?{}'.includes(ch)) {
      if (ch === '{') while (i < src.length && src[i] !== '}') i++;
      close(true);
      continue;
    }
    if (quantified) { close(true); continue; }
    run += ch;
  }
  close(false);
  return runs.filter((r) => r.replace(/#/g, '').length > 0);
}

/** Word tokens as the matcher indexes messages: lower-case runs of letters, digits and `_`. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9_]{4,}/g) ?? [];
}

/** Picks the index anchor of a message regex: the longest whole word in a mandatory literal. */
export function anchorOf(source: string): string | null {
  const runs = literalRuns(source);
  if (!runs) return null;
  let best: string | null = null;
  for (const run of runs) {
    const words = run.split(/[^A-Za-z0-9_#]+/);
    words.forEach((w) => {
      // `#` marks an edge cut by a group or escape: the word there may be partial.
      if (w.includes('#')) return;
      const lower = w.toLowerCase();
      if (/^[a-z0-9_]{4,}$/.test(lower) && /[a-z]{4}/.test(lower) && (!best || lower.length > best.length)) best = lower;
    });
  }
  return best;
}

const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

function namedGroups(re: RegExp): string[] {
  return [...re.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1] as string);
}

export function compileFault(id: string, file: string, spec: FaultFile): { fault: Fault; problems: { field: string; message: string }[] } {
  const problems: { field: string; message: string }[] = [];
  const regexSources: Fault['regexSources'] = [];
  const folder = id.slice(0, id.indexOf('.'));
  if (spec.library !== folder) problems.push({ field: 'library', message: `is '${spec.library}' but the file is in faults/${folder}/` });

  const compile = (field: string, source: string): RegExp | null => {
    try {
      const re = compilePattern(source);
      regexSources.push({ field, source });
      return re;
    } catch (err) {
      problems.push({ field, message: `invalid regex: ${(err as Error).message}` });
      return null;
    }
  };

  const captures = new Set<string>();
  const signatures: CompiledSignature[] = spec.match.signatures.map((s, index) => {
    const field = `match.signatures[${index}].message`;
    const message = s.message !== undefined ? compile(field, s.message) : null;
    let anchor: string | null = null;
    if (message && s.message) {
      namedGroups(message).forEach((g) => captures.add(g));
      anchor = anchorOf(s.message);
      if (!anchor && !s.type && !s.code) {
        problems.push({ field, message: 'needs a literal word of 4+ letters outside groups and alternations (the engine indexes faults by it); split alternatives into separate signatures' });
      }
    }
    const type = s.type ?? null;
    const context = s.context !== undefined ? compile(`match.signatures[${index}].context`, s.context) : null;
    const contextUnless = s.context_unless !== undefined ? compile(`match.signatures[${index}].context_unless`, s.context_unless) : null;
    return { faultId: id, index, type, typeShort: type ? type.slice(type.lastIndexOf('.') + 1) : null, message, anchor, code: s.code ?? null, context, contextUnless };
  });

  const causeIds = new Set<string>();
  const causes: CompiledCause[] = spec.causes.map((c, ci) => {
    if (causeIds.has(c.id)) problems.push({ field: `causes[${ci}].id`, message: `'${c.id}' is used twice` });
    causeIds.add(c.id);
    const clues: CompiledClue[] = [];
    c.clues.forEach((clue, k) => {
      const kind = (['frame', 'code', 'message', 'text'] as const).find((key) => clue[key] !== undefined) ?? 'text';
      const re = compile(`causes[${ci}].clues[${k}].${kind}`, clue[kind] as string);
      if (re) {
        // Named groups in clues fill placeholders too: the call that lacks `await` is on the
        // failing code line, not in the message.
        namedGroups(re).forEach((g) => captures.add(g));
        clues.push({ kind, re, weight: clue.weight ?? 1 });
      }
    });
    return { ...c, clues };
  });

  const known = new Set([...Object.keys(KNOWN_PLACEHOLDERS), ...captures, ...Object.keys(spec.placeholders)]);
  for (const name of Object.keys(spec.placeholders)) {
    if (!captures.has(name) && !(name in KNOWN_PLACEHOLDERS)) {
      problems.push({ field: `placeholders.${name}`, message: 'is not filled by any named group of a signature regex' });
    }
  }
  const checkText = (field: string, value: string): void => {
    for (const name of placeholdersIn(value)) {
      if (!known.has(name)) problems.push({ field, message: `placeholder {{${name}}} is not known: use one of ${Object.keys(KNOWN_PLACEHOLDERS).join(', ')}, or a named group declared under placeholders` });
    }
  };
  const checkBilingual = (field: string, t: TextSpec): void => {
    checkText(`${field}.en`, t.en);
    checkText(`${field}.ja`, t.ja);
  };
  spec.causes.forEach((c, ci) => {
    checkBilingual(`causes[${ci}].explanation`, c.explanation);
    if (c.look_for) checkBilingual(`causes[${ci}].look_for`, c.look_for);
  });

  const fixIds = new Set<string>();
  spec.fixes.forEach((f, fi) => {
    if (fixIds.has(f.id)) problems.push({ field: `fixes[${fi}].id`, message: `'${f.id}' is used twice` });
    fixIds.add(f.id);
    checkText(`fixes[${fi}].snippet`, f.snippet);
    checkBilingual(`fixes[${fi}].why`, f.why);
    checkBilingual(`fixes[${fi}].title`, f.title);
    f.causes?.forEach((c, k) => {
      if (!causeIds.has(c)) problems.push({ field: `fixes[${fi}].causes[${k}]`, message: `no cause with id '${c}'` });
    });
    f.prefer.forEach((p, k) => {
      checkBilingual(`fixes[${fi}].prefer[${k}].why`, p.why);
      const cs = p.when.cause;
      for (const c of cs === undefined ? [] : Array.isArray(cs) ? cs : [cs]) {
        if (!causeIds.has(c)) problems.push({ field: `fixes[${fi}].prefer[${k}].when.cause`, message: `no cause with id '${c}'` });
      }
    });
  });
  spec.causes.forEach((c, ci) => {
    if (!spec.fixes.some((f) => !f.causes || f.causes.includes(c.id))) {
      problems.push({ field: `causes[${ci}]`, message: `no fix applies to cause '${c.id}'` });
    }
  });
  spec.examples.forEach((e, ei) => {
    if (e.expect.cause && !causeIds.has(e.expect.cause)) problems.push({ field: `examples[${ei}].expect.cause`, message: `no cause with id '${e.expect.cause}'` });
  });

  return {
    fault: {
      id,
      file,
      library: spec.library,
      stack: spec.stack,
      title: spec.title,
      summary: spec.summary,
      fixOnce: spec.fix_once ?? null,
      signatures,
      codes: spec.match.codes,
      sqlstates: spec.match.sqlstates,
      sqlstateUnless: spec.match.sqlstate_unless.flatMap((source, i) => compile(`match.sqlstate_unless[${i}]`, source) ?? []),
      phrases: spec.match.phrases,
      priority: spec.match.priority,
      symptom: spec.match.symptom,
      causes,
      fixes: spec.fixes,
      placeholders: spec.placeholders,
      examples: spec.examples,
      counterexamples: spec.counterexamples,
      lab: spec.lab ?? null,
      regexSources,
    },
    problems,
  };
}
