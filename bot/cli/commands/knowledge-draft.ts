import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { cachedAnswerSchema } from '../../ai/answer-schema.js';
import { buildFaultDraft } from '../../ai/fault-draft.js';
import { DEFAULT_CACHE_TTL_MS } from '../../ai/openai-explainer.js';
import { defaultKnowledgeDir, formatProblem, loadKnowledge, parseFaultFile } from '../../kb/load.js';
import { maskForAi } from '../../redact/mask-for-ai.js';
import { loadCliConfig, openConfiguredStore } from '../settings.js';
import { createEngine } from '../../triage/diagnose.js';
import { UsageError, type CliContext } from '../command.js';

export const DRAFT_USAGE = 'faultline knowledge draft FINGERPRINT [--out FILE|-] [--force] [--dir DIR]';

/**
 * `faultline knowledge draft FINGERPRINT`: a fault file drafted from the LLM's cached answer to
 * an error the catalogue did not know (the weekly digest lists their fingerprints), written
 * to knowledge/drafts/ (never loaded) for a person to review. The draft is validated like a
 * fault file, and its example is run through the catalogue with the draft added.
 */
export async function runKnowledgeDraft(ctx: CliContext): Promise<number> {
  const fingerprint = ctx.args[1];
  if (!fingerprint || ctx.args.length > 2) throw new UsageError(`give one fingerprint (${DRAFT_USAGE}); \`faultline digest\` lists those answered by the LLM.`);
  const config = loadCliConfig(ctx);
  if (!config) return 2;

  const store = await openConfiguredStore(config);
  let source;
  try {
    const cached = await store.ai.latestFor(fingerprint);
    const entry = cached ? cachedAnswerSchema.safeParse(cached.value) : null;
    if (!cached || !entry?.success) {
      ctx.stderr.write(`faultline: no cached AI answer for ${fingerprint} in ${store.location}. Answers are kept ${Math.round(DEFAULT_CACHE_TTL_MS / 86_400_000)} days; \`faultline digest\` lists the fingerprints the LLM answered.\n`);
      return 1;
    }
    // The cached example is masked as the model saw it; an older entry without one falls back
    // to the newest redacted excerpt the occurrences kept.
    const now = Date.now();
    // The stored excerpt is redacted; masked as the prompt is, it keeps row values, hosts and
    // paths out of the repository too.
    const newest = Math.max(0, ...(await store.stats.unmatched({ from: now - 400 * 86_400_000, to: now + 1 })).filter((u) => u.fingerprint === fingerprint).map((u) => u.lastId));
    const excerpt = newest ? (await store.stats.excerpts([newest])).get(newest) : undefined;
    const example = entry.data.example.trim() || (excerpt ? maskForAi(excerpt).text : '');
    if (!example) {
      ctx.stderr.write(`faultline: no example text is left for ${fingerprint} (excerpts expire with retention).\n`);
      return 1;
    }
    source = { fingerprint, model: cached.model, promptVersion: cached.promptVersion, createdAt: cached.createdAt, entry: entry.data, example };
  } finally {
    await store.close();
  }

  const draft = buildFaultDraft(source);
  const dir = typeof ctx.flags.dir === 'string' ? resolve(ctx.cwd, ctx.flags.dir) : defaultKnowledgeDir();
  const id = `${draft.library}.${draft.slug}`;
  const report: string[] = [];
  const { fault, problems } = parseFaultFile(dir, join(dir, 'faults', draft.library, `${draft.slug}.yaml`), draft.yaml);
  if (problems.length) report.push(`The draft does not pass the fault schema yet (${problems.length} problem(s)):`, ...problems.map((p) => `  - ${formatProblem(p)}`));
  else if (fault) {
    const knowledge = loadKnowledge(dir);
    if (knowledge.faults.some((f) => f.id === id)) report.push(`A curated fault ${id} already exists: merge into it instead of adding a file.`);
    const engine = createEngine([...knowledge.faults.filter((f) => f.id !== id), fault]);
    const example = fault.examples[0];
    const d = example ? engine.diagnose(example.input) : null;
    report.push(
      d?.match?.id === id
        ? `Schema: valid. Its example matches the draft (${d.match.method}, ${Math.round(d.match.confidence * 100)}%).`
        : `Schema: valid, but its example ${d?.match ? `matches ${d.match.id} instead` : 'matches nothing'}: tighten match.signatures.`,
    );
  }

  const out = typeof ctx.flags.out === 'string' ? ctx.flags.out : join('knowledge', 'drafts', draft.library, `${draft.slug}.yaml`);
  if (out === '-') {
    ctx.stdout.write(draft.yaml);
    ctx.stderr.write(`${report.join('\n')}\n`);
    return 0;
  }
  const file = resolve(ctx.cwd, out);
  if (existsSync(file) && !ctx.flags.force) {
    ctx.stderr.write(`faultline: ${relative(ctx.cwd, file) || file} exists; pass --force to replace it, or --out another file.\n`);
    return 1;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, draft.yaml);
  ctx.stdout.write(`Wrote a DRAFT for review: ${relative(ctx.cwd, file) || file}\n${report.join('\n')}\nEvery field is AI-written: review it, resolve each TODO(review), then move it to knowledge/faults/${draft.library}/${draft.slug}.yaml.\n`);
  return 0;
}
