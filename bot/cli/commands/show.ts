import type { Fault } from '../../kb/compile.js';
import { loadEngineQuick } from '../../kb/snapshot.js';
import type { Engine } from '../../triage/diagnose.js';
import type { Lang } from '../../triage/types.js';
import { UsageError, type CliCommandModule } from '../command.js';
import { resolveLang } from './diagnose.js';

/** Finds a fault by id, a library error code (`xd2s`) or a SQLSTATE (`42P01`). */
export function findFault(engine: Engine, key: string): Fault[] {
  const exact = engine.fault(key.trim());
  if (exact) return [exact];
  return engine.index.faultsForCode(key.trim().toLowerCase());
}

export function describeFault(fault: Fault, lang: Lang): string {
  const lines = [`${fault.title[lang]}  [${fault.id}]`, '', fault.summary[lang], ''];
  const sigs = fault.signatures.map((s) => [s.type, s.message?.source].filter(Boolean).join(': '));
  lines.push(`Recognised by: ${[...sigs, ...fault.codes.map((c) => `code ${c}`), ...fault.sqlstates.map((c) => `SQLSTATE ${c}`)].join(' | ')}`, '');
  lines.push(lang === 'ja' ? '原因のパターン:' : 'Variants:');
  for (const c of fault.causes) lines.push(`  - ${c.title[lang]} (${c.id})`);
  lines.push('', lang === 'ja' ? '対処法:' : 'Fixes:');
  for (const f of [...fault.fixes].sort((a, b) => b.score - a.score)) lines.push(`  - ${f.title[lang]}${f.requires ? `  (${Object.entries(f.requires).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}\n      ${f.docs[0]}`);
  return `${lines.join('\n')}\n`;
}

/** The `show --json` document (schemas/show.schema.json). */
export function showJson(query: string, faults: Fault[]): { query: string; faults: unknown[] } {
  return {
    query,
    faults: faults.map((f) => ({
      id: f.id,
      library: f.library,
      title: f.title,
      summary: f.summary,
      codes: f.codes,
      causes: f.causes.map((c) => ({ id: c.id, title: c.title })),
      fixes: f.fixes.map((x) => ({ id: x.id, title: x.title, docs: x.docs, requires: x.requires ?? null })),
    })),
  };
}

export const command: CliCommandModule = {
  async run(ctx) {
    const key = ctx.args[0];
    if (!key) throw new UsageError('give a fault id or an error code, e.g. faultline show xd2s');
    const lang = resolveLang(ctx);
    const { engine } = await loadEngineQuick();
    const faults = findFault(engine, key);
    if (faults.length === 0) {
      ctx.stderr.write(`No fault with id or code '${key}'. Try: faultline search ${key}\n`);
      return 2;
    }
    if (ctx.flags.json) {
      // One document whatever the key matched: a code can name several faults.
      ctx.stdout.write(`${JSON.stringify(showJson(key, faults), null, 2)}\n`);
      return 0;
    }
    ctx.stdout.write(faults.map((f) => describeFault(f, lang)).join('\n'));
    return 0;
  },
};
