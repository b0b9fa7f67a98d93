import { POSTGRES_SEVERITIES, POSTGRES_TRANSLATIONS_JSON } from './postgres-translations-data.js';
import type { NormalisedInput } from './types.js';
import { escapeRegExp } from './escape-regexp.js';

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

const ASCII_SEVERITY = new RegExp(`(?:^|[\\s>\\[|])(?:${Object.keys(POSTGRES_SEVERITIES).filter((w) => /^[\x20-\x7e]+$/.test(w)).map(escapeRegExp).join('|')}):`);
const NON_ASCII = /[^\x00-\x7f]/;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g;
const weight = (s: string): number => s.length + 2 * (s.match(CJK)?.length ?? 0);

// Servers space a message otherwise than the catalogue we read: Debian 13's id catalogue says `kolom  « %s » dari relasi`
// (two spaces) where a Laravel user's server printed `kolom « buying_date » dari relasi`, and Debian 12's zh_CN says
// `重复键违反唯一约束"%s"` where an Npgsql user's server printed `重复键违反唯一约束 "ux_mrec_..."` (and the names source met
// `的 约束"x"` for `的约束 "%s"`). So a run of spaces in a wording matches any run of 1-4, and next to a CJK letter spaces are
// optional (0-4), both ways.
const CJK_LETTER = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]/;
const CJK_SPACE = /[ \t]{1,8}(?=[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef])|(?<=[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef])[ \t]{1,8}/g;
/** The text as the candidate lookup sees it: no spaces next to CJK letters, other runs of spaces as one. */
const squeeze = (text: string): string => text.replace(CJK_SPACE, '').replace(/[ \t]{2,}/g, ' ');

/** A wording's literal text as a regex that allows the spacing differences above. */
function literalSource(text: string): string {
  let out = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? '';
    if (c === ' ' || c === '\t') {
      let j = i;
      while (j + 1 < chars.length && (chars[j + 1] === ' ' || chars[j + 1] === '\t')) j++;
      const nearCjk = CJK_LETTER.test(chars[i - 1] ?? '') || CJK_LETTER.test(chars[j + 1] ?? '');
      out += nearCjk ? '[ \\t]{0,4}' : '[ \\t]{1,4}';
      i = j;
      continue;
    }
    const prev = chars[i - 1] ?? '';
    if (i > 0 && prev !== ' ' && prev !== '\t' && (CJK_LETTER.test(prev) || CJK_LETTER.test(c))) out += '[ \\t]{0,4}';
    out += escapeRegExp(c);
  }
  return out;
}

function placeholder(conv: string, next: string): string {
  if (conv !== 's' && conv !== 'c') return '(-?[0-9A-Fa-f]{1,20})';
  const close = next.trimStart()[0];
  // An argument in quotes ends at the closing quote.
  if (close && /["'»«”“„」』\u201d\u2019]/.test(close)) return `([^\\n${escapeRegExp(close)}]{1,200})`;
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
  let head = literalSource(literals[0] ?? '');
  if (convs.length > 0 && weight(afterFirst.replace(/\s/g, '')) >= MIN_KEPT_LITERAL) {
    const prefix = literals[0] ?? '';
    const cuts: string[] = [literalSource(prefix)];
    for (let i = 1; i < prefix.length; i++) if (prefix[i - 1] === ' ' && prefix[i] !== ' ') cuts.push(literalSource(prefix.slice(i)));
    if (cuts.length > 1) head = `(?:${cuts.join('|')})`;
  }
  let source = head;
  convs.forEach((c, i) => { source += placeholder(c.conv, literals[i + 1] ?? '') + literalSource(literals[i + 1] ?? ''); });
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
      const anchor = squeeze(text.split(CONV).filter((_, i) => i % 3 === 0).sort((a, b) => b.trim().length - a.trim().length)[0]?.trim() ?? '');
      if (anchor.length < 4) continue;
      const key = keyAt(anchor, 0);
      const list = index.get(key) ?? [];
      list.push({ msgid: t.msgid, text, anchor });
      index.set(key, list);
    }
  }
  return index;
}

/** The wordings whose anchor the line contains (both read squeezed), each compiled once. */
function candidates(text: string): Wording[] {
  const line = squeeze(text);
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
  // The wording that covers the most of the line wins; between equal spans, the one whose own text covers more of it (an
  // unquoted argument can swallow another wording's text: `类型x1或类型x2的属主` is `type %s or type %s`, not `type %s`).
  let best: { w: Wording; m: RegExpExecArray; literal: number } | null = null;
  for (const w of candidates(line)) {
    const m = w.re.exec(line);
    if (!m) continue;
    const literal = m[0].length - m.slice(1).reduce((n, a) => n + (a?.length ?? 0), 0);
    if (!best || m[0].length > best.m[0].length || (m[0].length === best.m[0].length && literal > best.literal)) best = { w, m, literal };
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
