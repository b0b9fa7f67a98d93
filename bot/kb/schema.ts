import { z } from 'zod';

const text = z.strictObject({ en: z.string().trim().min(1), ja: z.string().trim().min(1) });
const kebab = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case');
const regexSource = z.string().min(1).max(2000);

export const FACT_NAMES = ['cause', 'relationship', 'sqlalchemy', 'pydantic', 'driver', 'python', 'framework'] as const;
const factValue = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const when = z.partialRecord(z.enum(FACT_NAMES), factValue).refine((w) => Object.keys(w).length > 0, 'needs at least one fact');

const signature = z
  .strictObject({
    type: z.string().regex(/^[A-Za-z_][\w.]*$/, 'must be an exception class name').optional(),
    message: regexSource.optional(),
    code: z.string().min(2).optional(),
    context: regexSource.optional(),
    context_unless: regexSource.optional(),
  })
  .refine((s) => s.type !== undefined || s.message !== undefined || s.code !== undefined, 'needs type, message or code');

const clue = z
  .strictObject({
    frame: regexSource.optional(),
    code: regexSource.optional(),
    message: regexSource.optional(),
    text: regexSource.optional(),
    weight: z.number().min(0.1).max(10).optional(),
  })
  .refine((c) => [c.frame, c.code, c.message, c.text].filter((v) => v !== undefined).length === 1, 'needs exactly one of frame, code, message, text');

const cause = z.strictObject({
  id: kebab,
  title: text,
  explanation: text,
  // What to look for in a full traceback to tell this variant from the others; shown when the
  // paste does not say which variant it is. Without it the clues are shown, made readable.
  look_for: text.optional(),
  clues: z.array(clue).default([]),
});

// A version range: one or more comparisons, all of which must hold ('>=1.4,<2.0').
const versionRange = z.string().regex(/^(?:>=|<|<=|>)\s*\d+(?:\.\d+){0,2}(?:\s*,\s*(?:>=|<|<=|>)\s*\d+(?:\.\d+){0,2})*$/, "must look like '>=2.0.13' or '>=1.4,<2.0'");
const requires = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), versionRange);

// Another form of the same fix for other library versions (the 1.4 spelling of a 2.0 API).
const fixForm = z.strictObject({
  id: kebab,
  requires,
  snippet: z.string().min(1).max(4000),
});

const fix = z.strictObject({
  id: kebab,
  title: text,
  causes: z.array(kebab).min(1).optional(),
  score: z.number().min(0).max(100),
  prefer: z.array(z.strictObject({ when, score: z.number().min(-100).max(100), why: text })).default([]),
  why: text,
  tradeoffs: z.strictObject({
    queries: text,
    scope: z.enum(['query', 'relationship', 'model', 'session', 'engine', 'global', 'code', 'config', 'schema', 'infra', 'test']),
    risk: z.enum(['low', 'medium', 'high']),
    effort: z.enum(['low', 'medium', 'high']),
  }),
  snippet: z.string().min(1).max(4000),
  lang: z.string().regex(/^[a-z0-9+-]+$/).default('python'),
  docs: z.array(z.url({ protocol: /^https$/ })).min(1),
  requires: requires.optional(),
  forms: z.array(fixForm).default([]),
  // Why the lab cannot run this fix (an infrastructure change, a managed service); shown to users.
  unverified: text.optional(),
});

const expect = z.strictObject({
  cause: kebab.optional(),
  method: z.enum(['code', 'signature', 'fuzzy']).optional(),
  models: z.array(z.string()).optional(),
  attributes: z.array(z.string()).optional(),
  tables: z.array(z.string()).optional(),
  fields: z.array(z.string()).optional(),
  captures: z.record(z.string(), z.string()).optional(),
  snippet: z.string().optional(),
});

// `chat: true`: a message that quotes or retypes the error inside chat ("getting \"greenlet_spawn
// ...\" when I ..."): diagnosed when asked, never answered unasked. Every other example must read
// as error output (knowledge/README.md, "Error output and chat").
// `source`: where a real-world example was posted (an issue, a forum thread), as an https URL.
// Adapted pastes (names, hosts or paths changed, trimmed) say so in `name`. Examples without a
// source are written or lab-made; a fault needs at least 3 with one (`knowledge check`).
const example = z.strictObject({ name: z.string().min(1), source: z.url({ protocol: /^https$/ }).optional(), chat: z.boolean().default(false), input: z.string().min(1), expect: expect.default({}) });
const counterexample = z.strictObject({ name: z.string().min(1), input: z.string().min(1) });

// What `npm run lab` found, per world; written by the lab, never by hand.
const labStatus = z.strictObject({
  status: z.enum(['reproduced', 'not-reproduced', 'verified', 'fails', 'not-applicable']),
  detail: z.string().max(500).optional(),
  measured: z.record(z.string(), z.number()).optional(),
});
const labWorldResult = z.strictObject({
  versions: z.record(z.string(), z.string()),
  scenarios: z.record(z.string(), labStatus.extend({ fixes: z.record(z.string(), labStatus).default({}) })),
});
const lab = z.strictObject({
  services: z.array(z.enum(['postgres', 'pgbouncer'])).default([]),
  // The fault exhausts a limit of the shared server (max_connections): its runs go one at a time.
  exclusive: z.boolean().optional(),
  // Each scenario runs `python3 knowledge/lab/programs/<library>/<slug>.py <id>` and must fail
  // with this fault, diagnosed as `cause`; `cause: null` when the output itself cannot tell the
  // variant (no host, no port), and then Faultline must name none. Each listed fix (`fix-id` or
  // `fix-id/form-id`) runs `... <id> --fix <fix>` and must exit 0.
  scenarios: z.array(z.strictObject({ id: kebab, cause: kebab.nullable(), fixes: z.array(z.string().regex(/^[a-z0-9-]+(?:\/[a-z0-9-]+)?$/)).default([]) })).default([]),
  unreproducible: text.optional(),
  results: z.record(z.enum(['bookworm', 'trixie']), labWorldResult).optional(),
}).refine((l) => l.scenarios.length > 0 || l.unreproducible !== undefined, 'needs scenarios, or unreproducible saying why');

export const faultFileSchema = z.strictObject({
  library: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  stack: z.array(z.string().min(1)).min(1),
  title: text,
  summary: text,
  fix_once: text.optional(),
  match: z.strictObject({
    signatures: z.array(signature).default([]),
    codes: z.array(z.string().regex(/^[a-z0-9_]{2,60}$/)).default([]),
    // PostgreSQL SQLSTATEs ('42P01'): matched deterministically where the paste carries one, as a
    // code, a driver's exception class (asyncpg's UndefinedTableError, psycopg's errors.*) or pgcode.
    sqlstates: z.array(z.string().regex(/^[0-9A-Z]{5}$/, 'must be a five-character SQLSTATE such as 42P01')).default([]),
    // The server raises some SQLSTATEs for more than one mistake (42P01: a missing relation, and
    // a query naming a table its FROM clause lacks). A message matching one of these is another
    // mistake: the SQLSTATE alone does not decide this fault for it.
    sqlstate_unless: z.array(z.string().min(1)).default([]),
    phrases: z.array(z.string().min(8).max(120)).min(1),
    priority: z.number().int().min(-10).max(10).default(0),
    // A client's view of a connection the server ended (a reset, asyncpg's `connection was closed in
    // the middle of operation`): a PostgreSQL server message on its own line in the same paste (the
    // server's log) that another fault answers says why, and is answered instead.
    symptom: z.boolean().default(false),
  }).refine((m) => m.signatures.length + m.codes.length + m.sqlstates.length > 0, 'needs at least one signature, code or SQLSTATE'),
  causes: z.array(cause).min(1),
  fixes: z.array(fix).min(1),
  placeholders: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.strictObject({ fallback: z.string().min(1), en: z.string().min(1), ja: z.string().min(1) })).default({}),
  examples: z.array(example).min(1),
  counterexamples: z.array(counterexample).default([]),
  lab: lab.optional(),
});

export type FaultFile = z.infer<typeof faultFileSchema>;
export type FixSpec = FaultFile['fixes'][number];
export type CauseSpec = FaultFile['causes'][number];
export type SignatureSpec = FaultFile['match']['signatures'][number];
export type TextSpec = z.infer<typeof text>;
export type LabSpec = NonNullable<FaultFile['lab']>;
export type FixFormSpec = FixSpec['forms'][number];
export type WhenSpec = z.infer<typeof when>;
