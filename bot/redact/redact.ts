import { join } from 'node:path';
import { packageRoot } from '../kb/files.js';
import { createKeywordScanner, distinctKeywords, keywordScannerFrom, type KeywordAutomaton } from './keyword-scan.js';
import { defaultRuleSnapshotPath, loadRedactionRuleSet, type RedactionRule } from './rule-files.js';

export interface RedactionResult {
  text: string;
  /** Secrets removed, by rule id (`url-userinfo`, `slack-token`, `email`...); only rules that fired. */
  counts: Record<string, number>;
}

export interface Redactor {
  readonly rules: readonly RedactionRule[];
  redact(text: string): RedactionResult;
}

/**
 * The one redaction step: every text that leaves the process or touches disk passes through
 * it (the store, logs, LLM requests, Slack calls, the CLI). Irreversible, idempotent, linear.
 *
 * Cost: one keyword pass over the text finds which rules can match and on which lines; text
 * rules (blocks spanning lines) run on the whole text, line rules only on the lines holding one
 * of their keywords. A 40 KB traceback with no secret costs the keyword pass and nothing else.
 */
export function createRedactor(rules: readonly RedactionRule[], built: KeywordAutomaton | null = null): Redactor {
  const keywords = distinctKeywords(rules);
  const keywordIndex = new Map(keywords.map((k, i) => [k, i]));
  const rulesOf: number[][] = keywords.map(() => []);
  for (const [r, rule] of rules.entries()) {
    for (const k of new Set(rule.keywords.map((w) => w.toLowerCase()))) (rulesOf[keywordIndex.get(k) as number] as number[]).push(r);
  }
  // The build's automaton is used only for exactly these keywords, in this order.
  const reusable = built !== null && built.keywords.length === keywords.length && built.keywords.every((k, i) => k === keywords[i]);
  const scanner = reusable ? keywordScannerFrom(built) : createKeywordScanner(keywords);
  const textRules = rules.map((r, i) => (r.scope === 'text' ? i : -1)).filter((i) => i >= 0);
  const isTextRule = rules.map((r) => r.scope === 'text');
  const alwaysRules = textRules.filter((i) => (rules[i] as RedactionRule).keywords.length === 0);

  /** Line start -> [line end, rules to run], for the lines holding a keyword. */
  const findLines = (text: string, textHits: Set<number> | null) => {
    const lines = new Map<number, { end: number; rules: Set<number> }>();
    let lineStart = -1;
    let lineEnd = -1;
    let current: { end: number; rules: Set<number> } | undefined;
    scanner.scan(text, (k, end) => {
      const start = end - (keywords[k] as string).length;
      if (start >= lineEnd || start < lineStart) {
        lineStart = text.lastIndexOf('\n', start - 1) + 1;
        const nl = text.indexOf('\n', start);
        lineEnd = nl === -1 ? text.length : nl;
        current = lines.get(lineStart);
        if (!current) {
          current = { end: lineEnd, rules: new Set() };
          lines.set(lineStart, current);
        }
      }
      for (const r of rulesOf[k] as number[]) {
        if (isTextRule[r]) textHits?.add(r);
        else current?.rules.add(r);
      }
    });
    return lines;
  };

  return {
    rules,
    redact(input) {
      const counts: Record<string, number> = {};
      const note = (rule: RedactionRule, n: number) => {
        if (n > 0) counts[rule.id] = (counts[rule.id] ?? 0) + n;
      };
      /** Applies the rules in order, each to what the previous one left. */
      const applyRules = (from: string, which: Iterable<number>): { text: string; changed: boolean } => {
        let out = from;
        let changed = false;
        for (const r of which) {
          const rule = rules[r] as RedactionRule;
          const result = rule.apply(out);
          if (result.count) {
            note(rule, result.count);
            out = result.text;
            changed = true;
          }
        }
        return { text: out, changed };
      };
      let text = input;
      const textHits = new Set<number>(alwaysRules);
      let lines = findLines(text, textHits);
      if (textHits.size) {
        const whole = applyRules(text, textRules.filter((r) => textHits.has(r)));
        text = whole.text;
        // Positions moved: find the lines again in what is left.
        if (whole.changed) lines = findLines(text, null);
      }
      if (!lines.size) return { text, counts };
      let out = '';
      let from = 0;
      let any = false;
      for (const [start, { end, rules: which }] of lines) {
        const { text: line, changed } = applyRules(text.slice(start, end), [...which].sort((a, b) => a - b));
        if (!changed) continue;
        out += text.slice(from, start) + line;
        // A line emptied by redaction (a SQLAlchemy parameters trailer) goes with its line break.
        from = line === '' && text.charCodeAt(end) === 10 ? end + 1 : end;
        any = true;
      }
      return { text: any ? out + text.slice(from) : text, counts };
    },
  };
}

export function defaultRedactionDir(): string {
  return join(packageRoot(), 'knowledge', 'redaction');
}

let shared: Redactor | null = null;

/** The redactor built from the shipped rule files, loaded on first use. */
export function defaultRedactor(): Redactor {
  if (!shared) {
    const { rules, automaton } = loadRedactionRuleSet(defaultRedactionDir(), defaultRuleSnapshotPath());
    shared = createRedactor(rules, automaton);
  }
  return shared;
}

/** Redacts with the shipped rules. */
export function redact(text: string): RedactionResult {
  return defaultRedactor().redact(text);
}

/** `redact(text).text`, for callers that only need the text. */
export function redactText(text: string): string {
  return defaultRedactor().redact(text).text;
}

/**
 * Redacts every string inside a value (log fields, Slack Web API arguments, JSON bodies);
 * keys are kept. Depth-bounded: anything nested deeper than 20 levels is replaced.
 */
export function redactDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 20) return '<redacted:too-deep>' as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v, depth + 1);
  return out as T;
}
