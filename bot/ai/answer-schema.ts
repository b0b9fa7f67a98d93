import { z } from 'zod';

/**
 * What the model must return, twice: as JSON Schema for `response_format` (what the server is
 * asked for) and as zod (what is accepted). Servers that ignore `response_format` (older
 * vLLM/Ollama builds) still get the schema in the prompt, and anything that does not validate
 * is no answer. The JSON Schema keeps to the subset OpenAI's strict mode accepts (every key
 * required, no extra keys, nullable by type union); lengths and ranges are checked by zod.
 */
export const MAX_AI_FIXES = 3;

export const ANSWER_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'cause', 'library', 'confidence', 'fixes'],
  properties: {
    title: { type: 'string', description: 'A short name for this error, like a catalogue entry title; no trailing period.' },
    cause: { type: 'string', description: 'The most likely cause, in two to five sentences, using the names from the error.' },
    library: { type: ['string', 'null'], description: 'The library or component most likely involved (sqlalchemy, asyncpg, pydantic, postgres, ...), null if unclear.' },
    confidence: { type: 'number', description: 'How sure you are, from 0 to 1. Below 0.5 when the error text is not enough to tell.' },
    fixes: {
      type: 'array',
      description: `Up to ${MAX_AI_FIXES} fixes, best first.`,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'why', 'tradeoff', 'snippet', 'lang'],
        properties: {
          title: { type: 'string', description: 'What to do, in a few words.' },
          why: { type: 'string', description: 'Why this fixes it and when it is the right choice.' },
          tradeoff: { type: 'string', description: 'What it costs: extra queries, scope, risk, effort.' },
          snippet: { type: 'string', description: 'A short code or config snippet using the names from the error; empty string if none applies.' },
          lang: { type: 'string', description: 'The snippet language: python, sql, shell, yaml, text.' },
        },
      },
    },
  },
} as const;

const line = (max: number) => z.string().trim().min(1).max(max);

const aiFixSchema = z.object({
  title: line(300),
  why: line(3000),
  tradeoff: z.string().trim().max(1500),
  snippet: z.string().max(6000).transform((s) => s.replace(/^\n+|\s+$/g, '')),
  lang: z
    .string()
    .trim()
    .toLowerCase()
    .max(20)
    .transform((l) => (/^[a-z0-9+#-]{1,20}$/.test(l) ? l : 'text')),
});

/** The model's answer as accepted: anything else is treated as no answer. */
export const modelAnswerSchema = z.object({
  title: line(200),
  cause: line(4000),
  library: z
    .string()
    .trim()
    .max(60)
    .nullable()
    .transform((l) => (l ? l : null)),
  confidence: z.number().finite().min(0).max(1),
  // A model asked for three that gives five is still useful: keep the best three.
  fixes: z.array(aiFixSchema).min(1).max(10).transform((f) => f.slice(0, MAX_AI_FIXES)),
});

export type ModelAnswer = z.output<typeof modelAnswerSchema>;

/** Parses the model's message content; null for anything that is not a valid, non-empty answer. */
export function parseModelAnswer(content: string | null | undefined): ModelAnswer | null {
  if (!content?.trim()) return null;
  let data: unknown;
  try {
    data = JSON.parse(stripCodeFence(content));
  } catch {
    return null;
  }
  const parsed = modelAnswerSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** Local models without JSON mode like to wrap the object in ```json fences. */
function stripCodeFence(content: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(content);
  return m?.[1] ?? content;
}

/**
 * One cache entry (`ai_answers.value`). The answer is kept as the model wrote it, with host
 * and path placeholders: each reader restores them from its own paste, so one workspace's
 * hosts never appear in another's answer. `example` is the masked paste `knowledge draft`
 * turns into the draft's example.
 */
export const cachedAnswerSchema = z.object({
  v: z.literal(1),
  answer: modelAnswerSchema,
  lang: z.enum(['en', 'ja']),
  error: z.object({ type: z.string(), message: z.string() }).nullable(),
  names: z.object({ models: z.array(z.string()), attributes: z.array(z.string()), tables: z.array(z.string()), fields: z.array(z.string()) }),
  nearest: z.array(z.string()),
  example: z.string(),
});

export type CachedAnswerEntry = z.infer<typeof cachedAnswerSchema>;
