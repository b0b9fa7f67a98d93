import type { CompiledCause, CompiledClue } from '../kb/compile.js';
import type { Lang } from './types.js';

/** Clues shown per variant: the strongest few say enough, a long list of regexes does not. */
const MAX_CLUES_SHOWN = 3;

const KIND_LABEL: Record<CompiledClue['kind'], Record<Lang, (p: string) => string>> = {
  frame: { en: (p) => `a frame ${p}`, ja: (p) => `フレーム ${p}` },
  code: { en: (p) => `a code line ${p}`, ja: (p) => `コード行 ${p}` },
  message: { en: (p) => `${p} in the error message`, ja: (p) => `エラーメッセージ中の ${p}` },
  text: { en: (p) => `a line ${p}`, ja: (p) => `行 ${p}` },
};

const NO_CLUES: Record<Lang, string> = {
  en: 'no sign of its own: it is what remains when none of the other variants shows',
  ja: '固有の手がかりはありません (他のパターンの手がかりがどれも見当たらない場合に該当)',
};

/** Escapes whose meaning is "some text": shown as an ellipsis. */
const WILDCARD = /^(?:(?:\\[wWsSdD]|\.|\[(?:\\.|[^\]\\])*\])(?:[*+?]|\{\d*,?\d*\})|\\[wWsSdD]|\.|\[\^(?:\\.|[^\]\\])*\])/;
/** A one-character class (`[Ll]azy`): shown as its first character. */
const SINGLE_CLASS = /^\[([^\]\\^])(?:\\.|[^\]\\])*\]/;

/**
 * A clue regex as a person reads it: escapes undone, wildcards as `…`, lookarounds and anchors
 * dropped, non-capturing and named groups as plain parentheses. Catalogue data, not user text;
 * a best effort for display only, never matched against anything.
 */
export function readablePattern(source: string): string {
  let src = source.startsWith('(?i)') ? source.slice(4) : source;
  src = src.replace(/^\^/, '').replace(/\$$/, '');
  let out = '';
  for (let i = 0; i < src.length; ) {
    const rest = src.slice(i);
    const wild = WILDCARD.exec(rest);
    if (wild) {
      if (!out.endsWith('…')) out += /^\\s/.test(rest) ? ' ' : '…';
      i += wild[0].length;
      continue;
    }
    const single = SINGLE_CLASS.exec(rest);
    if (single) {
      out += single[1];
      i += single[0].length;
      continue;
    }
    const ch = src[i] as string;
    if (ch === '\\') {
      const next = src[i + 1] ?? '';
      if (next === 'b' || next === 'B') { i += 2; continue; }
      out += next;
      i += 2;
      continue;
    }
    if (rest.startsWith('(?=') || rest.startsWith('(?!') || rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
      let depth = 0;
      let j = i;
      for (; j < src.length; j++) {
        if (src[j] === '\\') { j++; continue; }
        if (src[j] === '(') depth++;
        else if (src[j] === ')' && --depth === 0) break;
      }
      i = j + 1;
      continue;
    }
    if (rest.startsWith('(?:')) { out += '('; i += 3; continue; }
    const named = /^\(\?<[A-Za-z_]\w*>/.exec(rest);
    if (named) { out += '('; i += named[0].length; continue; }
    if (ch === '{') {
      const q = /^\{\d*,?\d*\}/.exec(rest);
      if (q) { i += q[0].length; continue; }
    }
    if (ch === '+' || ch === '*') { i++; continue; }
    out += ch;
    i++;
  }
  return out.replace(/\s{2,}/g, ' ').trim();
}

/**
 * What to look for in the full traceback to tell this variant: the author's `look_for` text
 * when the fault file has one, else its strongest clues, readable.
 */
export function lookForCause(cause: CompiledCause, lang: Lang): string[] {
  if (cause.look_for) return [cause.look_for[lang]];
  if (cause.clues.length === 0) return [NO_CLUES[lang]];
  return [...cause.clues]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, MAX_CLUES_SHOWN)
    .map((clue) => KIND_LABEL[clue.kind][lang](`\`${readablePattern(clue.re.source)}\``));
}
