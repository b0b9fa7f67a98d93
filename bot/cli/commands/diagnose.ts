import { loadEngine, describeProblems } from '../../kb/engine.js';
import { diagnosisToJson } from '../../render/json.js';
import { languageFrom, renderTerminal } from '../../render/terminal.js';
import { ui } from '../../render/strings.js';
import { UsageError, type CliCommand, type CliContext } from '../command.js';
import { readFileBounded, readStreamBounded } from '../input.js';
import type { Lang } from '../../triage/types.js';

export function resolveLang(ctx: CliContext): Lang {
  const flag = ctx.flags.lang;
  if (typeof flag === 'string') {
    const lang = languageFrom(flag);
    if (!lang) throw new UsageError(`--lang must be 'en' or 'ja', not '${flag}'.`);
    return lang;
  }
  return languageFrom(ctx.env.FAULTLINE_LANG) ?? 'en';
}

export async function readInput(ctx: CliContext): Promise<{ data: Buffer; size: number; source: string }> {
  const file = ctx.args[0];
  if (ctx.args.length > 1) throw new UsageError('give one file (or - for standard input), not several.');
  if (file && file !== '-') return { ...readFileBounded(file), source: file };
  if (!file && ctx.stdin.isTTY) {
    throw new UsageError("nothing to read: give a file (faultline diagnose trace.txt) or pipe the error in (pbpaste | faultline diagnose).");
  }
  return { ...(await readStreamBounded(ctx.stdin)), source: 'stdin' };
}

export const command: CliCommand = {
  name: 'diagnose',
  summary: 'Diagnose an error or traceback from FILE or standard input',
  usage: 'faultline diagnose [FILE|-] [--json] [--lang en|ja]',
  valueFlags: ['lang'],
  async run(ctx) {
    const lang = resolveLang(ctx);
    const input = await readInput(ctx);
    const { engine, problems } = loadEngine();
    if (problems.length) ctx.stderr.write(`faultline: ${describeProblems(problems)}\n`);
    const diagnosis = engine.diagnose(input.data, { lang, originalBytes: input.size });
    if (ctx.flags.json) {
      ctx.stdout.write(`${JSON.stringify(diagnosisToJson(diagnosis), null, 2)}\n`);
    } else if (diagnosis.input.notes.some((n) => n.includes('binary'))) {
      ctx.stdout.write(`${ui(lang).binaryInput}\n`);
    } else {
      ctx.stdout.write(renderTerminal(diagnosis, { color: Boolean(ctx.stdout.isTTY) && !ctx.env.NO_COLOR }));
    }
    return 0;
  },
};
