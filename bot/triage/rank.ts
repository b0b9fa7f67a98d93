import { KNOWN_PLACEHOLDERS, type CompiledCause, type Fault } from '../kb/compile.js';
import type { TextSpec, WhenSpec } from '../kb/schema.js';
import { checkRequirement, chooseForms, describeRequires, verificationOf, type FixFormChoice } from './fix-forms.js';
import { roleOf } from './names/roles.js';
import { isHiddenName } from './names/words.js';
import type { ErrorRecord, Facts, Lang, ParsedPaste, Placeholder, RankedFix, ResolvedName } from './types.js';

const MAX_TEXT_LINES_FOR_CLUES = 400;

/** What the clues of a fault's variants found in a paste. */
export interface CauseChoice {
  /**
   * The variants the paste leaves possible: one when its clues decide it (or the fault has one
   * variant), the variants tied at the best clue score, or every variant when no clue matched.
   */
  causes: CompiledCause[];
  /** True when exactly one variant is left: the answer may assert it. */
  decided: boolean;
  /** Named groups of the clues that matched, from the decided variant (or the tied ones). */
  captures: Record<string, string>;
}

/**
 * Picks the variant whose clues the paste shows most. A variant is asserted only on evidence:
 * a fault with one variant is trivially that one; otherwise a clue must match, and a tie at the
 * best score (or no clue at all) leaves several variants open.
 */
export function chooseCauses(fault: Fault, parsed: ParsedPaste, primary: ErrorRecord | undefined): CauseChoice {
  // Each pool is built when a clue first reads it: most faults' clues read one or two kinds.
  const build = {
    frame: () => parsed.records.flatMap((r) => r.frames).map((f) => `${f.file.replace(/\\/g, '/')}:${f.func}`),
    code: () => [...parsed.sourceLines, ...parsed.records.flatMap((r) => r.frames.map((f) => f.code)).filter(Boolean)],
    message: () => (primary ? [primary.message] : parsed.records.map((r) => r.message)),
    // The paste's lines, and the log pipelines its stripped prefixes named (`docker compose logs`).
    text: () => [...(parsed.lines.length > MAX_TEXT_LINES_FOR_CLUES ? parsed.lines.slice(-MAX_TEXT_LINES_FOR_CLUES) : parsed.lines), ...(parsed.wrappers ?? [])],
  };
  const pools: Partial<Record<keyof typeof build, string[]>> = {};
  const pool = (kind: keyof typeof build): string[] => (pools[kind] ??= build[kind]());
  const scored = fault.causes.map((cause) => {
    let score = 0;
    const captures: Record<string, string> = {};
    for (const clue of cause.clues) {
      for (const line of pool(clue.kind)) {
        const m = clue.re.exec(line);
        if (!m) continue;
        score += clue.weight;
        for (const [k, v] of Object.entries(m.groups ?? {})) if (v && !captures[k]) captures[k] = v;
        break;
      }
    }
    return { cause, score, captures };
  });
  if (scored.length === 1) {
    const only = scored[0] as (typeof scored)[number];
    return { causes: [only.cause], decided: true, captures: only.captures };
  }
  const best = Math.max(0, ...scored.map((s) => s.score));
  if (best === 0) return { causes: fault.causes, decided: false, captures: {} };
  const top = scored.filter((s) => s.score === best);
  const captures: Record<string, string> = {};
  for (const s of top) for (const [k, v] of Object.entries(s.captures)) captures[k] ??= v;
  return { causes: top.map((s) => s.cause), decided: top.length === 1, captures };
}

/** Whether every fact `when` names has a wanted value; `cause` stands in for facts.cause when given. */
function holds(when: WhenSpec, facts: Facts, cause?: string): boolean {
  return Object.entries(when).every(([key, want]) => {
    const have = key === 'cause' && cause !== undefined ? cause : facts[key];
    if (have === undefined) return false;
    return Array.isArray(want) ? want.includes(have) : want === have;
  });
}

export interface Filler {
  fill(text: string): string;
  /**
   * The same for code: a name with a space (`Golden Balls`, a column SQLite names unquoted) is
   * put only where the code quotes it (`mapped_column("Golden Balls")`); bare, as an attribute
   * (`Golden Balls: str`), it would not be code, so the placeholder stays there.
   */
  fillCode(text: string): string;
  used(): Placeholder[];
}

/** A name with a space cannot stand bare in code (a pod or image name with hyphens can). */
const SPACE = /\s/;
const QUOTES = new Set(['"', "'", '`']);

/**
 * Substitutes `{{name}}` with names from the paste, remembering where each came from, or an
 * obvious fallback it lists for the user to replace. A role's alias (`{{parent}}`) reads the role.
 */
export function createFiller(fault: Fault, captures: Record<string, string>, lang: Lang, names: readonly ResolvedName[] = []): Filler {
  const used = new Map<string, Placeholder>();
  const byRole = new Map(names.map((n) => [n.role as string, n]));
  const fill = (text: string, code: boolean): string => {
    if (!text.includes('{{')) return text;
    return text.replace(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g, (m, name: string, at: number) => {
      const role = roleOf(name);
      const value = captures[name] ?? (role ? captures[role] : undefined);
      const decl = fault.placeholders[name] ?? KNOWN_PLACEHOLDERS[name];
      const meaning = decl ? decl[lang] : name;
      const quoted = QUOTES.has(text[at - 1] ?? '') && text[at + m.length] === text[at - 1];
      // Only a name (a role: a column, a table) is held to this; a placeholder that is code itself
      // (`text({{statement}})` with `'SELECT 1'`) goes in as captured.
      const fitsCode = !code || quoted || !role || value === undefined || !SPACE.test(value);
      // The poster's stand-in for a name they hid (`relation "XXX"`) is no name: the placeholder stays.
      if (value && !isHiddenName(value) && fitsCode) {
        // A name found in the paste is what the reply lists, also when a snippet kept the
        // placeholder bare (`Golden Balls: str` is no code).
        if (used.get(name)?.fallback !== false) {
          const found = role ? byRole.get(role) : undefined;
          const fromRole = found && found.value === value;
          used.set(name, { name, value, fallback: false, meaning, role, source: fromRole ? found.source : 'signature', confidence: fromRole ? found.confidence : 0.99, guess: fromRole ? found.guess : false });
        }
        return value;
      }
      const fallback = decl?.fallback ?? `<${name}>`;
      if (!used.has(name)) used.set(name, { name, value: fallback, fallback: true, meaning, role, source: null, confidence: 0, guess: false });
      return fallback;
    });
  };
  return {
    fill: (text) => fill(text, false),
    fillCode: (text) => fill(text, true),
    used: () => [...used.values()],
  };
}

const SCOPE: Record<string, TextSpec> = {
  query: { en: 'this query', ja: 'このクエリのみ' },
  relationship: { en: 'every load of the relationship', ja: 'リレーションの全ロード' },
  model: { en: 'the model', ja: 'モデル全体' },
  session: { en: 'every session', ja: '全セッション' },
  engine: { en: 'the engine', ja: 'エンジン全体' },
  global: { en: 'global', ja: 'アプリ全体' },
  code: { en: 'this code path', ja: 'このコードのみ' },
  config: { en: 'configuration', ja: '設定' },
  schema: { en: 'the database schema', ja: 'DB スキーマ' },
  infra: { en: 'infrastructure', ja: 'インフラ' },
  test: { en: 'the test setup', ja: 'テスト設定' },
};
const LEVEL: Record<string, TextSpec> = { low: { en: 'low', ja: '低' }, medium: { en: 'medium', ja: '中' }, high: { en: 'high', ja: '高' } };
const LABELS = {
  scope: { en: 'scope', ja: '影響範囲' },
  risk: { en: 'risk', ja: 'リスク' },
  effort: { en: 'effort', ja: '手間' },
} as const;

/** Why a spelling cannot be used, or may not be, given the versions the paste shows. */
function requirementCaveat(form: FixFormChoice, facts: Facts, lang: Lang): string | null {
  const notes: string[] = [];
  for (const [lib, req] of Object.entries(form.requires ?? {})) {
    const shown = facts[lib];
    const verdict = checkRequirement(req, shown);
    if (verdict === 'no') notes.push(lang === 'ja' ? `${lib} ${req} が必要です (貼り付けから読み取れたのは ${shown})` : `needs ${lib} ${req}; your paste shows ${shown}`);
    else if (verdict === 'unknown') notes.push(lang === 'ja' ? `${lib} ${req} が必要です` : `needs ${lib} ${req}`);
  }
  return notes.length ? notes.join('; ') : null;
}

/**
 * Ranks the fixes for the variants the paste leaves possible. With one variant, its fixes by
 * score. With several, every possible variant's fixes, each labelled with the variants it
 * addresses; the best fix of each variant comes first so that no variant's remedy is buried.
 */
export function rankFixes(fault: Fault, causes: readonly CompiledCause[], facts: Facts, lang: Lang, filler: Filler): RankedFix[] {
  const possible = causes.map((c) => c.id);
  const decided = possible.length === 1;
  const scored = fault.fixes
    .filter((f) => !f.causes || f.causes.some((c) => possible.includes(c)))
    .map((fix, order) => {
      const addresses = fix.causes ? fix.causes.filter((c) => possible.includes(c)) : null;
      // A fix of one variant is scored as that variant's fix; one for several (or all) variants
      // has no variant to go by when the paste does not tell.
      const cause = decided ? possible[0] : addresses?.length === 1 ? addresses[0] : undefined;
      let score = fix.score;
      const reasons: string[] = [];
      for (const rule of fix.prefer) {
        if (holds(rule.when, facts, cause)) {
          score += rule.score;
          reasons.push(filler.fill(rule.why[lang]));
        }
      }
      const { shown, available } = chooseForms(fix, facts);
      return { fix, score, reasons, shown, available, order, addresses };
    })
    .sort((a, b) => Number(b.available) - Number(a.available) || b.score - a.score || a.order - b.order);
  if (!decided) {
    const leaders = new Set<(typeof scored)[number]>();
    for (const id of possible) {
      const lead = scored.find((s) => !s.addresses || s.addresses.includes(id));
      if (lead) leaders.add(lead);
    }
    scored.sort((a, b) => Number(leaders.has(b)) - Number(leaders.has(a)));
  }

  return scored.map(({ fix, score, reasons, shown, available, addresses }, i) => {
    const [main, ...others] = shown as [FixFormChoice, ...FixFormChoice[]];
    const t = fix.tradeoffs;
    const queries = filler.fill(t.queries[lang]);
    const scope = SCOPE[t.scope]?.[lang] ?? t.scope;
    const risk = LEVEL[t.risk]?.[lang] ?? t.risk;
    const effort = LEVEL[t.effort]?.[lang] ?? t.effort;
    const sep = lang === 'ja' ? '、' : '; ';
    return {
      id: fix.id,
      rank: i + 1,
      score,
      title: filler.fill(fix.title[lang]),
      why: filler.fill(fix.why[lang]),
      tradeoff: `${queries}${sep}${LABELS.scope[lang]}: ${scope}${sep}${LABELS.risk[lang]}: ${risk}${sep}${LABELS.effort[lang]}: ${effort}`,
      tradeoffs: { queries, scope, risk, effort },
      snippet: filler.fillCode(main.snippet).trimEnd(),
      lang: fix.lang,
      docs: fix.docs,
      // With several spellings shown, each carries its own label instead of one caveat.
      caveat: others.length ? null : requirementCaveat(main, facts, lang),
      available,
      reasons,
      form: main.id,
      requires: main.requires ?? null,
      ...verificationOf(fault, fix, main, lang),
      otherForms: others.map((f) => ({ id: f.id, requires: f.requires ?? null, label: describeRequires(f.requires), snippet: filler.fillCode(f.snippet).trimEnd(), ...verificationOf(fault, fix, f, lang) })),
      formLabel: others.length ? describeRequires(main.requires) : null,
      variants: addresses,
    };
  });
}
