import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { structuralProblems } from '../kb/regex-safety.js';
import { buildKeywordAutomaton, distinctKeywords, type KeywordAutomaton } from './keyword-scan.js';
import { CHECKS, SCANNERS, type Scanner } from './scanners.js';

/**
 * The redaction rules are data: `knowledge/redaction/*.yaml`, loaded in file-name order (the
 * number prefix is the order rules run in: blocks and trailers, provider tokens, auth headers,
 * assignments by name, user data). Format in knowledge/redaction/README.md.
 */

// yaml and zod cost ~130 ms to load: only a start whose rule files changed since the build pays it
// (see the snapshot below); createRequire keeps the load synchronous.
const requireCjs = createRequire(import.meta.url);

function makeSchemas(z: typeof import('zod').z) {
  const example = z.strictObject({
    input: z.string().min(1),
    /** Text (or texts) that must be gone after redaction. */
    secret: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** Text that must still be there. */
    keeps: z.array(z.string().min(1)).optional(),
  });

  const ruleSchema = z
    .strictObject({
      id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'ids are kebab-case'),
      title: z.string().min(1),
      /** Where the format comes from (gitleaks rule id, vendor docs), for a reviewer. */
      source: z.string().min(1).optional(),
      /** Literals (any case); the rule runs only on lines holding one (on the whole text for scope text; none: always). */
      keywords: z.array(z.string().min(1)),
      pattern: z.string().min(1).optional(),
      scanner: z.enum(Object.keys(SCANNERS) as [string, ...string[]]).optional(),
      ignore_case: z.boolean().default(false),
      /** `line` (default): the match lies within one line. `text`: may span lines. */
      scope: z.enum(['line', 'text']).default('line'),
      /** The marker for a whole-match rule: `<redacted:LABEL>`; default the id. */
      label: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
      /** A named check the secret must pass (`luhn`, `has-digit`, `looks-random`). */
      check: z.enum(Object.keys(CHECKS) as [string, ...string[]]).optional(),
      /** Regexes: a secret matching any of them (anchored) is left alone (placeholders, code). */
      allow: z.array(z.string().min(1)).default([]),
      /**
       * A regex (case-sensitive, anchored at the start) tested on the match together with the
       * name characters just before it (`telegram.error.InvalidToken: ...`): when it fits, the
       * match is not a secret at all.
       */
      skip_if: z.string().min(1).optional(),
      examples: z.array(example).min(1),
      counterexamples: z.array(z.string().min(1)).min(1),
    })
    .refine((r) => Boolean(r.pattern) !== Boolean(r.scanner), { message: 'a rule has either a pattern or a scanner' })
    // Only a text rule may run without keywords (on every text): a line rule would never run.
    .refine((r) => r.keywords.length > 0 || r.scope === 'text', { message: 'a line rule needs at least one keyword' });

  const fileSchema = z.strictObject({ rules: z.array(ruleSchema).min(1) });
  return { example, ruleSchema, fileSchema };
}

let schemas: ReturnType<typeof makeSchemas> | null = null;
function ruleSchemas(): ReturnType<typeof makeSchemas> {
  schemas ??= makeSchemas((requireCjs('zod') as typeof import('zod')).z);
  return schemas;
}

type RuleSpec = import('zod').z.infer<ReturnType<typeof makeSchemas>['ruleSchema']>;

export type RuleExample = import('zod').z.infer<ReturnType<typeof makeSchemas>['example']>;

export interface RedactionRule {
  id: string;
  title: string;
  file: string;
  keywords: string[];
  scope: 'line' | 'text';
  examples: RuleExample[];
  counterexamples: string[];
  /** Every regex the rule runs (pattern and allow list), for the safety checks. */
  sources: { source: string; flags: string }[];
  apply(text: string): { text: string; count: number };
}

export class RedactionRulesError extends Error {
  override name = 'RedactionRulesError';
}

const isNameChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;

function compileRegexRule(spec: RuleSpec, pattern: string): RedactionRule['apply'] {
  const groupNames = [...pattern.matchAll(/\(\?<(secret\d?)>/g)].map((m) => m[1] as string);
  const flags = `gm${spec.ignore_case ? 'i' : ''}${groupNames.length ? 'd' : ''}`;
  const re = new RegExp(pattern, flags);
  const allow = spec.allow.map((a) => new RegExp(`^(?:${a})$`, 'i'));
  const check = spec.check ? CHECKS[spec.check] : undefined;
  const skip = spec.skip_if ? new RegExp(`^(?:${spec.skip_if})`) : null;
  const label = `<redacted:${spec.label ?? spec.id}>`;
  // A value that is already a marker (`<redacted>`, `<redacted:jwt>`) stays: redaction is idempotent.
  const keeps = (value: string) => value.startsWith('<redacted') || allow.some((a) => a.test(value)) || (check !== undefined && !check(value));
  return (text) => {
    let out = '';
    let from = 0;
    let count = 0;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0] === '') {
        re.lastIndex++;
        continue;
      }
      if (skip) {
        let start = m.index;
        while (start > 0 && m.index - start < 120 && isNameChar(text.charCodeAt(start - 1))) start--;
        if (skip.test(text.slice(start, m.index + m[0].length))) continue;
      }
      const groups = groupNames.filter((name) => m.indices?.groups?.[name]);
      // A rule whose pattern has alternatives with and without a secret group: a match
      // without one is a token of its own.
      if (!groups.length) {
        if (keeps(m[0])) continue;
        out += text.slice(from, m.index) + label;
        from = m.index + m[0].length;
        count++;
        continue;
      }
      for (const name of groups) {
        const span = m.indices?.groups?.[name];
        const value = m.groups?.[name];
        if (!span || value === undefined || value === '' || span[0] < from) continue;
        if (keeps(value)) continue;
        out += text.slice(from, span[0]) + '<redacted>';
        from = span[1];
        count++;
      }
    }
    return { text: count ? out + text.slice(from) : text, count };
  };
}

function compileScannerRule(scanner: Scanner): RedactionRule['apply'] {
  return (text) => scanner(text);
}

/** Loads and compiles every rule file; throws naming the file and rule on any problem. */
/** One rule file, parsed and validated; null (with the problems noted) when it is broken. */
function parseRuleFile(dir: string, file: string, where: string, problems: string[]): RuleSpec[] | null {
  let data: unknown;
  try {
    data = (requireCjs('yaml') as typeof import('yaml')).parse(readFileSync(join(dir, file), 'utf8'));
  } catch (err) {
    problems.push(`${where}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    return null;
  }
  const parsed = ruleSchemas().fileSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${where}: ${issue.path.join('.')}: ${issue.message}`);
    return null;
  }
  return parsed.data.rules;
}

interface RuleSnapshot {
  files: Record<string, { size: number; mtimeMs: number; rules: RuleSpec[] }>;
  /** The keyword automaton of these rules (createRedactor uses it only for the same keywords). */
  automaton?: KeywordAutomaton;
}

/** `npm run build` writes the validated rules (without their examples) next to the code. */
export function defaultRuleSnapshotPath(): string {
  return fileURLToPath(new URL('../../redaction-snapshot.json', import.meta.url));
}

function readRuleSnapshot(path: string): RuleSnapshot | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RuleSnapshot;
  } catch {
    return null;
  }
}

/** A file's rules from the snapshot, when the file is the one the snapshot was made from. */
function snapshotSpecs(snapshot: RuleSnapshot | null, dir: string, file: string): RuleSpec[] | null {
  const entry = snapshot?.files[file];
  if (!entry) return null;
  const st = statSync(join(dir, file), { throwIfNoEntry: false });
  return st && st.size === entry.size && st.mtimeMs === entry.mtimeMs ? entry.rules : null;
}

/** Writes the snapshot of every valid rule file in `dir`; examples stay in the YAML for the checks. */
export function writeRuleSnapshot(dir: string, path: string = defaultRuleSnapshotPath()): number {
  const files: RuleSnapshot['files'] = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const specs = parseRuleFile(dir, file, file, []);
    const regexes = (specs ?? []).flatMap((r) => (r.pattern ? [r.pattern, ...r.allow.map((a) => `^(?:${a})$`), ...(r.skip_if ? [`^(?:${r.skip_if})`] : [])] : []));
    if (!specs || regexes.some((source) => structuralProblems(source).length > 0)) continue;
    const st = statSync(join(dir, file));
    files[file] = { size: st.size, mtimeMs: st.mtimeMs, rules: specs.map((r) => ({ ...r, examples: [], counterexamples: [] })) };
  }
  const automaton = buildKeywordAutomaton(distinctKeywords(Object.values(files).flatMap((f) => f.rules)));
  writeFileSync(path, JSON.stringify({ files, automaton } satisfies RuleSnapshot));
  return Object.keys(files).length;
}

export function loadRedactionRules(dir: string, snapshotPath: string | null = null): RedactionRule[] {
  return loadRedactionRuleSet(dir, snapshotPath).rules;
}

/** The rules, and the build's keyword automaton when there is a snapshot. */
export function loadRedactionRuleSet(dir: string, snapshotPath: string | null = null): { rules: RedactionRule[]; automaton: KeywordAutomaton | null } {
  const snapshot = snapshotPath ? readRuleSnapshot(snapshotPath) : null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  if (!files.length) throw new RedactionRulesError(`no redaction rule files in ${dir}`);
  const rules: RedactionRule[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const where = `knowledge/redaction/${file}`;
    const fromSnapshot = snapshotSpecs(snapshot, dir, file);
    const specs = fromSnapshot ?? parseRuleFile(dir, file, where, problems);
    if (!specs) continue;
    for (const spec of specs) {
      const at = `${where}: ${spec.id}`;
      if (seen.has(spec.id)) problems.push(`${at}: duplicate rule id`);
      seen.add(spec.id);
      const sources: RedactionRule['sources'] = [];
      let apply: RedactionRule['apply'];
      try {
        if (spec.pattern) {
          sources.push({ source: spec.pattern, flags: spec.ignore_case ? 'i' : '' });
          for (const a of spec.allow) sources.push({ source: `^(?:${a})$`, flags: 'i' });
          if (spec.skip_if) sources.push({ source: `^(?:${spec.skip_if})`, flags: '' });
          // The snapshot holds only files whose every regex passed this check when it was built.
          if (!fromSnapshot) {
            for (const s of sources) {
              for (const p of structuralProblems(s.source)) problems.push(`${at}: ${p}`);
            }
          }
          apply = compileRegexRule(spec, spec.pattern);
        } else {
          apply = compileScannerRule(SCANNERS[spec.scanner as string] as Scanner);
        }
      } catch (err) {
        problems.push(`${at}: ${(err as Error).message}`);
        continue;
      }
      rules.push({
        id: spec.id,
        title: spec.title,
        file: where,
        keywords: spec.keywords.map((k) => k.toLowerCase()),
        scope: spec.scope,
        examples: spec.examples,
        counterexamples: spec.counterexamples,
        sources,
        apply,
      });
    }
  }
  // Weaker redaction is worse than none starting: a broken rule file stops the process.
  if (problems.length) throw new RedactionRulesError(`redaction rules are broken; fix them before starting:\n${problems.join('\n')}`);
  return { rules, automaton: snapshot?.automaton ?? null };
}
