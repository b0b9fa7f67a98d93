import type { Diagnosis, Lang } from '../triage/types.js';
import { namesWithSources, ui, variantLabel } from './strings.js';

export interface TerminalStyle {
  color: boolean;
  /** How many ranked fixes to print in full; the rest are listed by title. */
  fullFixes?: number;
  /** Columns to wrap prose at, indent included (the CLI passes the terminal's; default 80). */
  width?: number;
}

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', cyan: '\x1b[36m', reset: '\x1b[0m' };

function wrap(text: string, columns = 80, indent = '  '): string {
  // Never narrower than 20 characters of text: a 10-column terminal still gets readable lines.
  const width = Math.max(20, columns - indent.length);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/)) {
      if (line && (line + ' ' + word).length > width) {
        out.push(indent + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(indent + line);
  }
  return out.join('\n');
}

export function renderTerminal(d: Diagnosis, style: TerminalStyle): string {
  const c = (code: keyof typeof ANSI, s: string): string => (style.color ? `${ANSI[code]}${s}${ANSI.reset}` : s);
  const t = ui(d.lang);
  const columns = style.width ?? 80;
  const out: string[] = [];
  for (const note of d.input.notes) out.push(c('dim', `note: ${note}`));

  if (!d.match) {
    if (d.input.bytes === 0 || d.input.lines === 0) {
      out.push(t.emptyInput);
    } else if (!d.looksLikeError) {
      out.push(t.notAnError);
    } else {
      out.push(c('yellow', t.noMatch));
      if (d.error) out.push(wrap(`${d.error.type ? `${d.error.type}: ` : ''}${d.error.message}`, columns));
    }
    if (d.alternatives.length) {
      out.push('', t.nearest);
      for (const a of d.alternatives) out.push(`  - ${a.id}  ${a.title}  (${Math.round(a.confidence * 100)}%, ${t.method[a.method]})`);
    }
    return out.join('\n') + '\n';
  }

  const m = d.match;
  out.push(`${c('bold', m.title)}  ${c('dim', `[${m.id}]`)}`);
  out.push(c('dim', `${t.confidence} ${Math.round(m.confidence * 100)}% · ${t.matchedBy} ${t.method[m.method]} · ${t.variant}: ${m.variantTitle ?? t.variantUnknown}`));
  if (m.variant !== null) out.push('', c('bold', t.cause), wrap(m.cause, columns));
  else {
    out.push('', c('bold', t.possibleVariants));
    for (const v of m.variants) {
      out.push(`  - ${c('bold', v.title)}  ${c('dim', `[${v.id}]`)}`);
      for (const sign of v.lookFor) out.push(wrap(`${t.lookFor}: ${sign}`, columns, '      '));
    }
  }
  const names = namesWithSources(d);
  if (names.length) out.push('', c('dim', wrap(`${t.namesFound}: ${names.join(', ')}`, columns, '')));

  const full = style.fullFixes ?? 3;
  out.push('', c('bold', m.variant === null ? t.fixesPerVariant : t.fixes));
  d.fixes.forEach((fix, i) => {
    const head = `${fix.rank}. ${fix.title}${fix.available ? '' : ` (${t.unavailable})`}${m.variant === null ? `  [${variantLabel(d, fix.variants)}]` : ''}`;
    if (i >= full) {
      out.push(`  ${head}`);
      return;
    }
    out.push(`  ${c(fix.available ? 'green' : 'dim', head)}`);
    out.push(wrap(fix.why, columns, '     '));
    for (const r of fix.reasons) out.push(wrap(`+ ${r}`, columns, '     '));
    out.push(c('dim', wrap(`${t.tradeoff}: ${fix.tradeoff}`, columns, '     ')));
    if (fix.caveat) out.push(c('yellow', `     ! ${fix.caveat}`));
    for (const form of [fix, ...fix.otherForms]) {
      const label = form === fix ? fix.formLabel : (form as { label: string }).label;
      out.push('');
      if (label) out.push(c('bold', `     ${t.formFor} ${label}:`));
      out.push(form.verifiedOn ? c('green', `     ✓ ${t.verifiedOn} ${form.verifiedOn}`) : c('dim', `     ${t.notVerified}: ${form.notVerified ?? ''}`));
      out.push(form.snippet.split('\n').map((l) => `       ${c('cyan', l)}`).join('\n'));
    }
    out.push('');
    out.push(c('dim', `     ${fix.docs.join('\n     ')}`));
    out.push('');
  });
  const toReplace = d.placeholders.filter((p) => p.fallback);
  if (toReplace.length) {
    out.push(c('yellow', t.replaceNames));
    for (const p of toReplace) out.push(`  ${p.value}  ->  ${p.meaning}`);
  }
  if (d.others.length || d.otherDistinct) {
    out.push('', d.otherDistinct > 1 ? t.otherDistinct.replace('{n}', String(d.otherDistinct)) : t.alsoInPaste);
    for (const o of d.others) out.push(`  - ${o.type}: ${o.message}${o.faultId ? `  [${o.faultId}]` : ''}`);
  }
  if (d.alternatives.length) out.push('', `${t.alternatives}: ${d.alternatives.map((a) => `${a.id} (${Math.round(a.confidence * 100)}%)`).join(', ')}`);
  return out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

export function languageFrom(value: string | undefined): Lang | null {
  if (!value) return null;
  const v = value.toLowerCase();
  if (v === 'ja' || v.startsWith('ja-') || v.startsWith('ja_')) return 'ja';
  if (v === 'en' || v.startsWith('en-') || v.startsWith('en_')) return 'en';
  return null;
}
