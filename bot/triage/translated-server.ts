import { POSTGRES_SEVERITIES, POSTGRES_TRANSLATIONS_JSON } from './postgres-translations-data.js';
import type { NormalisedInput } from './types.js';

/**
 * A PostgreSQL server whose lc_messages is not English sends its messages in that language
 * (`ERREUR:  la nouvelle ligne de la relation « t » viole la contrainte de vérification « c »`,
 * `FEHLER:  Relation »t« existiert nicht`). This reads such a line back as the English msgid it
 * translates, from PostgreSQL's own catalogs (bot/build/postgres-translations.py), so every
 * fault whose signature matches the English message matches its translations too.
 *
 * Once per paste, behind a cheap gate (a non-ASCII character or a translated severity word); per
 * line, a wording is tried only when its longest literal is in the line. Lines are rewritten in
 * place (their count is kept, so per-line data such as errorLevel stays aligned).
 */

const CONV = /%(?:(\d)\$)?(s|d|u|ld|lu|lld|llu|zu|c|x|X)/g;
const MAX_LINES = 400;
const MAX_LINE = 2000;
/** A translation cut at its start by the poster keeps this much literal text, after its first argument. */
const MIN_KEPT_LITERAL = 16;

interface Wording {
  msgid: string;
  /** The line must contain this literal before the regex runs. */
  anchor: string;
  re: RegExp;
  /** Capture group i + 1 -> the msgid's argument index. */
  order: number[];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ASCII_SEVERITY = new RegExp(`(?:^|[\\s>\\[|])(?:${Object.keys(POSTGRES_SEVERITIES).filter((w) => /^[\x20-\x7e]+$/.test(w)).map(escape).join('|')}):`);
const NON_ASCII = /[^\x00-\x7f]/;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g;
const weight = (s: string): number => s.length + 2 * (s.match(CJK)?.length ?? 0);

function placeholder(conv: string, next: string): string {
  if (conv !== 's' && conv !== 'c') return '(-?[0-9A-Fa-f]{1,20})';
  const close = next.trimStart()[0];
  // An argument in quotes ends at the closing quote.
  if (close && /["'»«”“„」』\u201d\u2019]/.test(close)) return `([^\\n${escape(close)}]{1,200})`;
  return '([^\\n]{1,200}?)';
}

function compile(msgid: string, text: string): Wording | null {
  const literals: string[] = [];
  const convs: { index: number; conv: string }[] = [];
  let last = 0;
  let n = 0;
  for (const m of text.matchAll(CONV)) {
    literals.push(text.slice(last, m.index));
    convs.push({ index: m[1] ? Number(m[1]) - 1 : n, conv: m[2] ?? 's' });
    n++;
    last = (m.index ?? 0) + m[0].length;
  }
  literals.push(text.slice(last));
  // A CJK character says as much as a short word.
  if (weight(literals.join('').trim()) < 10) return null;
  const afterFirst = literals.slice(1).join('');
  // The first literal may be cut at any word start by the poster ("ligne de la relation « t » viole ..."),
  // when what is left after the first argument still says which message it is.
  let head = escape(literals[0] ?? '');
  if (convs.length > 0 && weight(afterFirst.replace(/\s/g, '')) >= MIN_KEPT_LITERAL) {
    const prefix = literals[0] ?? '';
    const cuts: string[] = [escape(prefix)];
    for (let i = 1; i < prefix.length; i++) if (prefix[i - 1] === ' ' && prefix[i] !== ' ') cuts.push(escape(prefix.slice(i)));
    if (cuts.length > 1) head = `(?:${cuts.join('|')})`;
  }
  let source = head;
  convs.forEach((c, i) => { source += placeholder(c.conv, literals[i + 1] ?? '') + escape(literals[i + 1] ?? ''); });
  const anchor = [...literals].sort((a, b) => b.trim().length - a.trim().length)[0]?.trim() ?? '';
  if (anchor.length < 4) return null;
  try {
    return { msgid, anchor, re: new RegExp(source), order: convs.map((c) => c.index) };
  } catch {
    return null;
  }
}

interface Entry { msgid: string; text: string; anchor: string; compiled?: Wording | null }
/** The first KEY characters of each wording's anchor -> the wordings: a line is looked up at each of its positions. */
const KEY = 3;
let index: Map<number, Entry[]> | null = null;
const keyAt = (s: string, i: number): number => s.charCodeAt(i) * 4294967296 + s.charCodeAt(i + 1) * 65536 + s.charCodeAt(i + 2);
function wordingIndex(): Map<number, Entry[]> {
  if (index) return index;
  index = new Map();
  for (const t of JSON.parse(POSTGRES_TRANSLATIONS_JSON) as { msgid: string; wordings: Record<string, string> }[]) {
    for (const text of Object.values(t.wordings)) {
      const anchor = text.split(CONV).filter((_, i) => i % 3 === 0).sort((a, b) => b.trim().length - a.trim().length)[0]?.trim() ?? '';
      if (anchor.length < 4) continue;
      const key = keyAt(anchor, 0);
      const list = index.get(key) ?? [];
      list.push({ msgid: t.msgid, text, anchor });
      index.set(key, list);
    }
  }
  return index;
}

/** The wordings whose anchor the line contains, each compiled once. */
function candidates(line: string): Wording[] {
  const idx = wordingIndex();
  const found: Wording[] = [];
  let seen: Set<Entry> | null = null;
  for (let i = 0; i + KEY <= line.length; i++) {
    const list = idx.get(keyAt(line, i));
    if (!list) continue;
    for (const e of list) {
      if (seen?.has(e) || !line.startsWith(e.anchor, i)) continue;
      (seen ??= new Set()).add(e);
      if (e.compiled === undefined) e.compiled = compile(e.msgid, e.text);
      if (e.compiled) found.push(e.compiled);
    }
  }
  return found;
}

function english(w: Wording, m: RegExpExecArray): string {
  const args: string[] = [];
  w.order.forEach((argIndex, i) => { args[argIndex] = (m[i + 1] ?? '').trim(); });
  let n = 0;
  return w.msgid.replace(/%%|%(?:(\d)\$)?(?:s|d|u|ld|lu|lld|llu|zu|c|x|X)/g, (conv, pos: string | undefined) => {
    if (conv === '%%') return '%';
    const v = args[pos ? Number(pos) - 1 : n] ?? '';
    n++;
    return v;
  });
}

/** The line read back in English, or null when no translated server message is in it. */
export function translateServerLine(line: string): string | null {
  if (line.length > MAX_LINE || !(NON_ASCII.test(line) || ASCII_SEVERITY.test(line))) return null;
  let best: { w: Wording; m: RegExpExecArray } | null = null;
  for (const w of candidates(line)) {
    const m = w.re.exec(line);
    if (m && (!best || m[0].length > best.m[0].length)) best = { w, m };
  }
  if (!best) return null;
  const start = best.m.index;
  let before = line.slice(0, start);
  // The severity word the server printed before it (`ERREUR:  `, `FEHLER:  `, `ОШИБКА:  `).
  before = before.replace(/(^|[\s>[|(]|\b)([^\s:[\]|>()]{2,20})(\s?:)(?=\s{0,3}$)/u, (all, lead: string, word: string, colon: string) => {
    const en = POSTGRES_SEVERITIES[word];
    return en ? `${lead}${en}${colon}` : all;
  });
  return before + english(best.w, best.m) + line.slice(start + best.m[0].length);
}

/** Rewrites the translated PostgreSQL server messages of a paste in English; the input itself when none. */
export function readTranslatedServerLines(input: NormalisedInput): NormalisedInput {
  if (input.binary || !(NON_ASCII.test(input.text) || ASCII_SEVERITY.test(input.text))) return input;
  let lines: string[] | null = null;
  const limit = Math.min(input.lines.length, MAX_LINES);
  for (let i = 0; i < limit; i++) {
    const en = translateServerLine(input.lines[i] ?? '');
    if (en === null) continue;
    lines ??= [...input.lines];
    lines[i] = en;
  }
  return lines ? { ...input, lines, text: lines.join('\n') } : input;
}
