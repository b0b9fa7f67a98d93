import type { Fault } from '../../kb/compile.js';
import { loadEngine } from '../../kb/engine.js';
import type { Engine } from '../../triage/diagnose.js';
import type { Lang } from '../../triage/types.js';
import { UsageError, type CliCommand } from '../command.js';
import { resolveLang } from './diagnose.js';

/** Finds a fault by id or by a library error code (`xd2s`). */
export function findFault(engine: Engine, key: string): Fault[] {
  const exact = engine.fault(key.trim());
  if (exact) return [exact];
  return engine.index.faultsForCode(key.trim().toLowerCase());
}

export function describeFault(fault: Fault, lang: Lang): string {
  const lines = [`${fault.title[lang]}  [${fault.id}]`, '', fault.summary[lang], ''];
  const sigs = fault.signatures.map((s) => [s.type, s.message?.source].filter(Boolean).join(': '));
  lines.push(`Recognised by: ${[...sigs, ...fault.codes.map((c) => `code ${c}`)].join(' | ')}`, '');
  lines.push(lang === 'ja' ? '原因のパターン:' : 'Variants:');
  for (const c of fault.causes) lines.push(`  - ${c.title[lang]} (${c.id})`);
  lines.push('', lang === 'ja' ? '対処法:' : 'Fixes:');
  for (const f of [...fault.fixes].sort((a, b) => b.score - a.score)) lines.push(`  - ${f.title[lang]}${f.requires ? `  (${Object.entries(f.requires).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}\n      ${f.docs[0]}`);
  return `${lines.join('\n')}\n`;
}

export const command: CliCommand = {
  name: 'show',
  summary: 'Show a fault by id or library error code (e.g. sqlalchemy.missing-greenlet, xd2s)',
  usage: 'faultline show ID|CODE [--lang en|ja] [--json]',
  valueFlags: ['lang'],
  async run(ctx) {
    const key = ctx.args[0];
    if (!key) throw new UsageError('give a fault id or an error code, e.g. faultline show xd2s');
    const lang = resolveLang(ctx);
    const { engine } = loadEngine();
    const faults = findFault(engine, key);
    if (faults.length === 0) {
      ctx.stderr.write(`No fault with id or code '${key}'. Try: faultline search ${key}\n`);
      return 2;
    }
    for (const f of faults) {
      ctx.stdout.write(ctx.flags.json ? `${JSON.stringify({ id: f.id, title: f.title, summary: f.summary, causes: f.causes.map((c) => ({ id: c.id, title: c.title })), fixes: f.fixes.map((x) => ({ id: x.id, title: x.title, docs: x.docs, requires: x.requires })) }, null, 2)}\n` : describeFault(f, lang));
    }
    return 0;
  },
};
