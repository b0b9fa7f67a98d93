import type { AiAnswer, ExplainResult } from '../../ai/explainer.js';
import { describeProblems } from '../../kb/files.js';
import { loadEngineQuick } from '../../kb/snapshot.js';
import { diagnosisToJson } from '../../render/json.js';
import { languageFrom, renderTerminal } from '../../render/terminal.js';
import { ui } from '../../render/strings.js';
import type { Engine } from '../../triage/diagnose.js';
import { UsageError, type CliCommandModule, type CliContext } from '../command.js';
import { readFileBounded, readStreamBounded } from '../input.js';
import { terminalStyle } from '../terminal-style.js';
import type { Diagnosis, Lang } from '../../triage/types.js';

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

/**
 * The LLM fallback for an error the catalogue does not know. Needs the settings (the key, the
 * model) and the database (the answer cache and the call budget it shares with the bot); when
 * either is unusable the user still gets the curated no-match answer, with the reason.
 */
async function explainUnknown(ctx: CliContext, engine: Engine, text: string, diagnosis: Diagnosis, lang: Lang): Promise<ExplainResult> {
  // The settings, the database and the OpenAI client load only here: most pastes never need them.
  const { loadCliConfig, tryOpenStore } = await import('../settings.js');
  const config = loadCliConfig(ctx, 'The LLM fallback is skipped until these are fixed.');
  if (!config) return { answer: null, outcome: 'failed' };
  if (!config.llm.apiKey) return { answer: null, outcome: 'disabled' };
  const store = await tryOpenStore(ctx, config, 'it holds the LLM answer cache and call budget, so the LLM fallback is skipped');
  if (!store) return { answer: null, outcome: 'failed' };
  try {
    const { createExplainer } = await import('../../ai/create-explainer.js');
    const explainer = createExplainer(config.llm, { store: store.ai, catalogue: engine });
    return await explainer.explainWithOutcome({ text, diagnosis, lang, workspace: null });
  } finally {
    await store.close();
  }
}

/**
 * `--record`: keeps the occurrence like the bot does (source `cli`), for scripts and CI logs.
 * The store redacts the text itself; a failure to record is reported but never hides the answer.
 */
async function recordOccurrence(ctx: CliContext, text: string, diagnosis: Diagnosis, ai: ExplainResult | null): Promise<void> {
  const [{ loadCliConfig, tryOpenStore }, { isRecordable, occurrenceFromDiagnosis }] = await Promise.all([import('../settings.js'), import('../../store/occurrences.js')]);
  if (!isRecordable(diagnosis)) {
    ctx.stderr.write(`faultline: ${ui(diagnosis.lang).notRecorded}\n`);
    return;
  }
  const config = loadCliConfig(ctx, 'The diagnosis was not recorded.');
  const store = config && (await tryOpenStore(ctx, config, 'the diagnosis was not recorded'));
  if (!config || !store) return;
  try {
    const answeredByAi = ai?.answer !== null && ai?.answer !== undefined;
    const id = await store.occurrences.record({ source: 'cli', ...occurrenceFromDiagnosis(diagnosis), ...(answeredByAi ? { method: 'ai' as const } : {}), text });
    ctx.stderr.write(`faultline: recorded as occurrence ${id} in ${store.location}\n`);
  } finally {
    await store.close();
  }
}

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', magenta: '\x1b[35m', reset: '\x1b[0m' };

/** The AI answer under the no-match text, labelled before anything else is said. */
export function renderAiTerminal(answer: AiAnswer, d: Diagnosis, color: boolean): string {
  const c = (code: keyof typeof ANSI, s: string): string => (color ? `${ANSI[code]}${s}${ANSI.reset}` : s);
  const t = ui(d.lang);
  const indent = (text: string, by = '  ') => text.split('\n').map((l) => (l ? by + l : l)).join('\n');
  const meta = [answer.model, `${t.confidence} ${Math.round(answer.confidence * 100)}%`];
  if (answer.library) meta.push(`${t.aiLibrary}: ${answer.library}`);
  if (answer.cached) meta.push(t.aiCached);
  const out = ['', c('magenta', c('bold', `[AI] ${t.aiLabel}`)), c('dim', meta.join(' · '))];
  if (answer.title) out.push('', c('bold', answer.title));
  out.push('', c('bold', t.aiCause), indent(answer.cause), '', c('bold', t.aiFixes));
  answer.fixes.forEach((f, i) => {
    out.push(`  ${c('bold', `${i + 1}. ${f.title}`)}${f.tradeoff ? c('dim', ` (${t.tradeoff}: ${f.tradeoff})`) : ''}`, indent(f.why, '     '));
    if (f.snippet.trim()) out.push('', indent(f.snippet, '       '));
    out.push('');
  });
  out.push(c('dim', t.aiPromote.replace('{fp}', d.fingerprint)));
  return `${out.join('\n')}\n`;
}

/** `--json`: `ai` is the labelled answer or null; `aiOutcome` says why (null when not asked). */
function aiJson(result: ExplainResult | null, lang: Lang): Record<string, unknown> {
  const a = result?.answer;
  return {
    ai: a ? { label: ui(lang).aiLabel, curated: false, title: a.title ?? null, cause: a.cause, fixes: a.fixes, confidence: a.confidence, library: a.library, model: a.model, cached: a.cached ?? false } : null,
    aiOutcome: result?.outcome ?? null,
  };
}

export const command: CliCommandModule = {
  async run(ctx) {
    const lang = resolveLang(ctx);
    const input = await readInput(ctx);
    const { engine, problems } = await loadEngineQuick();
    if (problems.length) ctx.stderr.write(`faultline: ${describeProblems(problems)}\n`);
    // The fingerprint is shown or stored only with --json, --record or an unknown error (the LLM
    // cache and the "promote" hint): a printed answer to a known error starts without it.
    let diagnosis = engine.diagnose(input.data, { lang, originalBytes: input.size, fingerprint: false });
    if (ctx.flags.json || ctx.flags.record || !diagnosis.match) diagnosis = engine.diagnose(input.data, { lang, originalBytes: input.size });
    const binary = diagnosis.input.notes.some((n) => n.includes('binary'));
    // Only an error the catalogue does not know goes to the model; a curated match never does.
    const ai = !diagnosis.match && diagnosis.looksLikeError && !binary && !ctx.flags['no-ai']
      ? await explainUnknown(ctx, engine, input.data.toString('utf8'), diagnosis, lang)
      : null;
    if (ctx.flags.record && !binary && diagnosis.input.lines > 0) await recordOccurrence(ctx, input.data.toString('utf8'), diagnosis, ai);
    if (ctx.flags.json) {
      ctx.stdout.write(`${JSON.stringify({ ...diagnosisToJson(diagnosis), ...aiJson(ai, lang) }, null, 2)}\n`);
    } else if (binary) {
      ctx.stdout.write(`${ui(lang).binaryInput}\n`);
    } else {
      const { color, width } = terminalStyle(ctx.stdout, ctx.env);
      ctx.stdout.write(renderTerminal(diagnosis, { color, width }));
      if (ai?.answer) ctx.stdout.write(renderAiTerminal(ai.answer, diagnosis, color));
      else if (ai?.outcome === 'disabled') ctx.stdout.write(`\n${ui(lang).aiOff}\n`);
      else if (ai && ai.outcome !== 'skipped' && ai.outcome !== 'answered' && ai.outcome !== 'cached') ctx.stdout.write(`\n${ui(lang).aiNoAnswer[ai.outcome]}\n`);
    }
    return 0;
  },
};
