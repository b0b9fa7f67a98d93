import { z } from 'zod';

/*
 * The `--json` documents, one per command, as zod schemas. `npm run schemas` writes them as JSON
 * Schema to schemas/<command>.schema.json; tests/cli/json-output.test.ts fails when a committed
 * file drifts from these, and checks every command's real output against them. Objects accept
 * properties not listed here (a consumer must ignore what it does not know), so adding a field
 * is compatible; removing or retyping one is not. Only tests and the writer load this module:
 * zod costs ~80 ms at start-up.
 */

const lang = z.enum(['en', 'ja']);
const method = z.enum(['code', 'signature', 'fuzzy']);
const text = z.looseObject({ en: z.string(), ja: z.string() });
const outcome = z.enum(['answered', 'cached', 'disabled', 'skipped', 'rate-limited', 'over-budget', 'timeout', 'failed', 'invalid']);

const diagnose = z
  .looseObject({
    match: z
      .looseObject({
        id: z.string(),
        title: z.string(),
        confidence: z.number().min(0).max(1),
        method,
        cause: z.string(),
        variant: z.string().nullable(),
        variantTitle: z.string().nullable(),
        variants: z.array(z.looseObject({ id: z.string(), title: z.string(), lookFor: z.array(z.string()) })).describe('The variant asserted alone, or every variant the paste leaves possible with what to look for'),
        library: z.string(),
      })
      .nullable()
      .describe('The diagnosis when confident enough (the reply threshold); null otherwise'),
    alternatives: z.array(z.looseObject({ id: z.string(), title: z.string(), confidence: z.number(), method })),
    entities: z.looseObject({
      models: z.array(z.string()), attributes: z.array(z.string()), tables: z.array(z.string()), fields: z.array(z.string()), captures: z.record(z.string(), z.string()),
      names: z.array(z.looseObject({ role: z.string(), value: z.string(), source: z.string(), confidence: z.number(), guess: z.boolean(), evidence: z.string().nullable() })).describe('one name per role the paste fills, with the extractor that read it (bot/triage/names/)'),
    }),
    fixes: z.array(
      z.looseObject({
        id: z.string(),
        rank: z.number().int().min(1),
        title: z.string(),
        why: z.string(),
        reasons: z.array(z.string()),
        tradeoff: z.string(),
        tradeoffs: z.looseObject({ queries: z.string(), scope: z.string(), risk: z.string(), effort: z.string() }),
        snippet: z.string(),
        lang: z.string(),
        docs: z.array(z.string()),
        caveat: z.string().nullable(),
        available: z.boolean(),
        form: z.string().nullable(),
        formLabel: z.string().nullable(),
        requires: z.record(z.string(), z.string()).nullable(),
        verifiedOn: z.string().nullable(),
        notVerified: z.string().nullable(),
        measured: z.record(z.string(), z.number()).nullable(),
        otherForms: z.array(z.looseObject({ id: z.string().nullable(), requires: z.record(z.string(), z.string()).nullable(), label: z.string(), snippet: z.string(), verifiedOn: z.string().nullable(), notVerified: z.string().nullable() })),
        variants: z.array(z.string()).nullable().describe('The variants this fix addresses when the variant is open; null: any'),
      }),
    ),
    placeholders: z.array(z.looseObject({ name: z.string(), value: z.string(), fallback: z.boolean(), meaning: z.string(), role: z.string().nullable(), source: z.string().nullable(), confidence: z.number(), guess: z.boolean() })),
    error: z.looseObject({ type: z.string(), message: z.string() }).nullable(),
    others: z.array(z.looseObject({ type: z.string(), message: z.string(), faultId: z.string().nullable() })).describe('The last few other errors in the paste'),
    otherDistinct: z.number().int().describe('How many distinct errors besides the diagnosed one the paste holds (numbers and ids replaced, warnings not counted)'),
    facts: z.record(z.string(), z.string()),
    fingerprint: z.string(),
    looksLikeError: z.boolean(),
    errorOutput: z.boolean().describe('True for program output (a traceback, an exception or error log line); only that is answered unasked and recorded'),
    input: z.looseObject({ bytes: z.number().int(), lines: z.number().int(), truncated: z.boolean(), notes: z.array(z.string()) }),
    lang,
    ai: z
      .looseObject({
        label: z.string(),
        curated: z.literal(false),
        title: z.string().nullable(),
        cause: z.string(),
        fixes: z.array(z.looseObject({ title: z.string(), why: z.string(), tradeoff: z.string(), snippet: z.string(), lang: z.string() })),
        confidence: z.number(),
        library: z.string().nullable(),
        model: z.string(),
        cached: z.boolean(),
      })
      .nullable()
      .describe('The LLM fallback answer, labelled as not curated; null when there is none'),
    aiOutcome: outcome.nullable().describe('Why there is or is not an LLM answer; null when the model was not asked'),
  })
  .describe('faultline diagnose --json');

const show = z
  .looseObject({
    query: z.string().describe('The id or error code asked for'),
    faults: z.array(
      z.looseObject({
        id: z.string(),
        library: z.string(),
        title: text,
        summary: text,
        codes: z.array(z.string()),
        causes: z.array(z.looseObject({ id: z.string(), title: text })),
        fixes: z.array(z.looseObject({ id: z.string(), title: text, docs: z.array(z.string()), requires: z.record(z.string(), z.string()).nullable() })),
      }),
    ),
  })
  .describe('faultline show --json');

const search = z
  .looseObject({
    query: z.string(),
    results: z.array(z.looseObject({ id: z.string(), title: z.string(), score: z.number(), matched: z.array(z.string()).describe('The words of the query that found it') })),
  })
  .describe('faultline search --json');

const digestFingerprint = z.looseObject({ fingerprint: z.string(), count: z.number().int(), previous: z.number().int(), example: z.string().nullable(), links: z.array(z.string()) });
const period = z.looseObject({ from: z.string(), to: z.string() });

const digest = z
  .looseObject({
    period,
    previousPeriod: period,
    workspace: z.string().nullable(),
    total: z.number().int(),
    previousTotal: z.number().int(),
    matched: z.number().int(),
    coverage: z.number().nullable(),
    users: z.number().int(),
    channels: z.number().int(),
    days: z.array(z.string()),
    faults: z.array(
      z.looseObject({
        id: z.string(),
        title: z.string().nullable(),
        count: z.number().int(),
        previous: z.number().int(),
        users: z.number().int(),
        channels: z.number().int(),
        change: z.enum(['new', 'rising', 'steady', 'falling']),
        daily: z.array(z.number().int()),
        sparkline: z.string(),
        feedback: z.looseObject({ solved: z.number().int(), didntHelp: z.number().int(), wrong: z.number().int() }),
        fixThatWorked: z.looseObject({ id: z.string(), title: z.string().nullable(), solved: z.number().int() }).nullable(),
        fixItOnce: z.string().nullable(),
        links: z.array(z.string()),
      }),
    ),
    quiet: z.array(z.looseObject({ id: z.string(), title: z.string().nullable(), previous: z.number().int() })),
    unmatched: z.array(digestFingerprint),
    ai: z.array(digestFingerprint),
    needsReview: z.array(z.looseObject({ id: z.string(), title: z.string().nullable(), negative: z.number().int(), feedback: z.number().int(), share: z.number(), previousShare: z.number().nullable() })),
  })
  .describe('faultline digest --json');

const evalReport = z
  .looseObject({
    positives: z.number().int(),
    correct: z.number().int(),
    negatives: z.number().int(),
    falsePositives: z.number().int(),
    namedCases: z.number().int(),
    namesCorrect: z.number().int(),
    misses: z.array(z.looseObject({ origin: z.string(), expected: z.string().nullable(), got: z.string().nullable(), confidence: z.number().nullable(), detail: z.string().optional() })),
    groups: z.record(z.string(), z.strictObject({ positives: z.number().int(), correct: z.number().int(), negatives: z.number().int(), falsePositives: z.number().int() })).describe('per source: each corpus file, the fault examples, the lab traces'),
    names: z
      .looseObject({
        pastes: z.number().int(), pastesAllFound: z.number().int(), names: z.number().int(), found: z.number().int(), wrongRole: z.number().int(),
        byFile: z.record(z.string(), z.looseObject({ pastes: z.number().int(), pastesAllFound: z.number().int(), names: z.number().int(), found: z.number().int(), wrongRole: z.number().int() })), byPlace: z.record(z.string(), z.looseObject({ pastes: z.number().int(), pastesAllFound: z.number().int(), names: z.number().int(), found: z.number().int(), wrongRole: z.number().int() })), bySite: z.record(z.string(), z.looseObject({ pastes: z.number().int(), pastesAllFound: z.number().int(), names: z.number().int(), found: z.number().int(), wrongRole: z.number().int() })), byRole: z.record(z.string(), z.looseObject({ pastes: z.number().int(), pastesAllFound: z.number().int(), names: z.number().int(), found: z.number().int(), wrongRole: z.number().int() })),
        misses: z.array(z.looseObject({ origin: z.string(), role: z.string(), expected: z.string(), got: z.string().nullable() })),
      })
      .describe('names by role on the labelled real pastes of tests/corpus/names/ (absent when the corpus has none)')
      .optional(),
  })
  .describe('faultline eval --json');

/** Command name -> the schema of its `--json` document. */
export const jsonOutputSchemas = { diagnose, show, search, digest, eval: evalReport } as const;

export type JsonOutputCommand = keyof typeof jsonOutputSchemas;

/** The JSON Schema text committed as schemas/<command>.schema.json. */
export function jsonSchemaText(command: JsonOutputCommand): string {
  const schema = z.toJSONSchema(jsonOutputSchemas[command], { target: 'draft-2020-12' });
  return `${JSON.stringify({ title: `faultline ${command} --json`, ...schema }, null, 2)}\n`;
}
