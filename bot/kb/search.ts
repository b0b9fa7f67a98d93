import type { Fault } from './compile.js';

/*
 * `faultline search`: the words people use for a fault, not only the catalogue's titles. Each
 * fault is indexed by its id, titles, summary, exception types, error codes, phrases, variant
 * and fix titles, and the API names in its fix snippets (`selectinload`, `expire_on_commit`):
 * someone who remembers the fix finds the fault. Synonyms (knowledge/synonyms.yaml, rules as
 * data) add the catalogue's words for the user's (`n+1` -> lazy load). Scoring is tf-idf-like
 * over weighted fields, so a word every fault shares (`session`) counts for little.
 */

export interface SynonymRule {
  /** What people type (lower case; several words are a phrase). */
  words: string[];
  /** The catalogue words it stands for. */
  means: string[];
}

export interface SearchHit {
  fault: Fault;
  /** 0..1, relative to the best hit. */
  score: number;
  /** The query words (or the synonyms they stand for) that found it. */
  matched: string[];
}

const FIELD_WEIGHT = { name: 3, title: 3, phrase: 2, fix: 2, api: 2, variant: 1.5, summary: 1 } as const;
/** A word reached through a synonym counts a little less than the word itself. */
const SYNONYM_WEIGHT = 0.8;
const MAX_QUERY_CHARS = 200;
const STOP = new Set(['the', 'and', 'for', 'with', 'from', 'not', 'was', 'has', 'have', 'this', 'that', 'error', 'errors', 'how', 'why', 'what', 'when', 'get', 'got', 'can', 'cannot', 'does', 'into', 'your', 'you', 'are', 'def', 'self', 'return', 'import', 'async', 'await', 'none', 'true', 'false', 'yourmodel']);

/** `loaded`, `loading`, `loads` -> `load`: enough stemming for error vocabulary. */
export function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('es') && !word.endsWith('ses')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * Search terms of a text: lower-case words and identifiers, stemmed; `expire_on_commit` and
 * `MissingGreenlet` also give their parts, so either spelling finds them.
 */
export function searchTerms(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.slice(0, 100_000).match(/[A-Za-z][A-Za-z0-9_]{0,60}|[0-9]{2,5}/g) ?? []) {
    const lower = raw.toLowerCase();
    const add = (w: string): void => {
      if (w.length >= 2 && !STOP.has(w)) out.add(stem(w));
    };
    add(lower);
    if (lower.includes('_')) for (const part of lower.split('_')) add(part);
    const camel = raw.split(/(?<=[a-z0-9])(?=[A-Z])/);
    if (camel.length > 1) for (const part of camel) add(part.toLowerCase());
  }
  return [...out];
}

/** The API names a fix's snippet uses: identifiers, without placeholders and comments. */
function snippetIdentifiers(snippet: string): string[] {
  const code = snippet.replace(/\{\{[^}]{0,60}\}\}/g, ' ').replace(/#[^\n]*/g, ' ');
  return (code.match(/[A-Za-z_][A-Za-z0-9_]{3,60}/g) ?? []).filter((w) => /[a-z]/.test(w));
}

type Field = keyof typeof FIELD_WEIGHT;

function faultFields(f: Fault): [Field, string][] {
  const fields: [Field, string][] = [
    ['name', `${f.id} ${f.signatures.map((s) => s.type ?? '').join(' ')} ${f.codes.join(' ')}`],
    ['title', `${f.title.en} ${f.title.ja}`],
    ['summary', `${f.summary.en} ${f.fixOnce?.en ?? ''}`],
    ...f.phrases.map((p): [Field, string] => ['phrase', p]),
    ...f.causes.map((c): [Field, string] => ['variant', c.title.en]),
    ...f.fixes.map((x): [Field, string] => ['fix', x.title.en]),
    ...f.fixes.map((x): [Field, string] => ['api', snippetIdentifiers(x.snippet).join(' ')]),
  ];
  return fields;
}

export interface CatalogueSearch {
  search(query: string, limit?: number): SearchHit[];
  /** The terms a query expands to (for the synonym meta-test and `--json`). */
  expand(query: string): { term: string; weight: number; from: string }[];
}

export function createCatalogueSearch(faults: readonly Fault[], synonyms: readonly SynonymRule[] = []): CatalogueSearch {
  // term -> fault id -> the sum of the weights of the kinds of field it is in (each kind once):
  // a fault whose fix is titled `expire_on_commit=False` outranks one that only uses it in code.
  const postings = new Map<string, Map<string, number>>();
  for (const f of faults) {
    const kinds = new Map<string, Set<Field>>();
    for (const [field, text] of faultFields(f)) {
      for (const term of searchTerms(text)) {
        let set = kinds.get(term);
        if (!set) kinds.set(term, (set = new Set()));
        set.add(field);
      }
    }
    for (const [term, set] of kinds) {
      let byFault = postings.get(term);
      if (!byFault) postings.set(term, (byFault = new Map()));
      byFault.set(f.id, [...set].reduce((sum, field) => sum + FIELD_WEIGHT[field], 0));
    }
  }
  const byId = new Map(faults.map((f) => [f.id, f]));
  const idf = (term: string): number => Math.log(1 + faults.length / (postings.get(term)?.size ?? faults.length));
  const rules = synonyms.map((r) => ({
    phrases: r.words.map((w) => searchTerms(w)).filter((t) => t.length > 0),
    // `n+1`, `c++`: written with symbols, matched as typed.
    raw: r.words.filter((w) => /[^a-z0-9 _-]/i.test(w)).map((w) => w.toLowerCase()),
    means: r.means.flatMap((m) => searchTerms(m)),
    label: r.words[0] ?? '',
  }));

  const expand = (query: string): { term: string; weight: number; from: string }[] => {
    const q = query.slice(0, MAX_QUERY_CHARS);
    const terms = searchTerms(q);
    const out = new Map<string, { term: string; weight: number; from: string }>();
    for (const t of terms) out.set(t, { term: t, weight: 1, from: t });
    const lowered = ` ${q.toLowerCase().replace(/[\s,.;:!?()"'`]+/g, ' ')} `;
    for (const rule of rules) {
      const hit = rule.phrases.some((p) => p.length > 0 && p.every((t) => terms.includes(t))) || rule.raw.some((w) => lowered.includes(` ${w} `));
      if (!hit) continue;
      for (const m of rule.means) if (!out.has(m)) out.set(m, { term: m, weight: SYNONYM_WEIGHT, from: rule.label });
    }
    return [...out.values()];
  };

  return {
    expand,
    search(query, limit = 10) {
      const scores = new Map<string, { score: number; matched: Set<string> }>();
      for (const { term, weight, from } of expand(query)) {
        const byFault = postings.get(term);
        if (!byFault) continue;
        const w = idf(term) * weight;
        for (const [id, field] of byFault) {
          const s = scores.get(id) ?? { score: 0, matched: new Set<string>() };
          s.score += w * field;
          s.matched.add(from);
          scores.set(id, s);
        }
      }
      const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0]));
      const top = ranked[0]?.[1].score ?? 1;
      return ranked.slice(0, limit).flatMap(([id, s]) => {
        const fault = byId.get(id);
        return fault ? [{ fault, score: Math.round((s.score / top) * 100) / 100, matched: [...s.matched] }] : [];
      });
    },
  };
}
