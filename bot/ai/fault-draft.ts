import { Document } from 'yaml';
import type { Lang } from '../triage/types.js';
import type { CachedAnswerEntry } from './answer-schema.js';

/**
 * A fault file drafted from a cached LLM answer, for a person to review and move into
 * knowledge/faults/. Everything the model could not know (the other language, the tradeoff
 * grades, the docs) is written as `TODO(review)`, and the file says where it came from.
 */

export interface DraftSource {
  fingerprint: string;
  model: string;
  promptVersion: string;
  createdAt: number;
  entry: CachedAnswerEntry;
  /** The redacted, masked paste that becomes the draft's example. */
  example: string;
}

export interface FaultDraft {
  library: string;
  slug: string;
  /** The YAML text, with the review header. */
  yaml: string;
}

export const TODO = 'TODO(review)';
/** Passes the schema, resolves nowhere: a reviewer must replace it with a real page. */
export const MISSING_DOCS = 'https://todo-review.invalid/add-a-docs-link';

/** Docs hosts whose links in a paste are real references (SQLAlchemy's background links and the like). */
const DOC_HOSTS = /^https:\/\/(?:sqlalche\.me|docs\.sqlalchemy\.org|errors\.pydantic\.dev|docs\.pydantic\.dev|fastapi\.tiangolo\.com|www\.postgresql\.org|docs\.python\.org|magicstack\.github\.io|www\.psycopg\.org)\//;

export function kebab(text: string, maxWords = 6): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, maxWords)
    .join('-')
    .slice(0, 60)
    .replace(/-+$/, '');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The stable words of a message: the runs between quoted values, numbers and placeholders,
 * longest first. `new row for relation "orders" violates check constraint "x"` gives
 * `violates check constraint` and `new row for relation`.
 */
export function literalPhrases(message: string): string[] {
  return message
    .split(/"[^"\n]{0,200}"|'[^'\n]{0,200}'|<[^<>\n]{1,40}>|\([^()\n]{0,200}\)|\[[^\]\n]{0,200}\]|\b\d[\w.:-]*|[:;,=]/)
    .map((p) => p.trim().replace(/\s+/g, ' '))
    .filter((p) => p.length >= 8 && /[A-Za-z]{4}/.test(p))
    .map((p) => p.slice(0, 120))
    .sort((a, b) => b.length - a.length);
}

function libraryOf(entry: CachedAnswerEntry): string {
  const fromAnswer = entry.answer.library ? kebab(entry.answer.library, 3) : '';
  if (fromAnswer) return fromAnswer;
  const type = entry.error?.type ?? '';
  // `RuntimeError` is Python's own; `asyncpg.exceptions.X` names its package.
  if (type && !type.includes('.')) return 'python';
  return kebab(type.split('.')[0] ?? '', 1) || 'unknown';
}

function text(lang: Lang, value: string): { en: string; ja: string } {
  const other = `${TODO} translate: ${value}`;
  return lang === 'en' ? { en: value, ja: other } : { en: other, ja: value };
}

function firstSentences(text: string, max = 300): string {
  const sentences = text.match(/[^.!?。]+[.!?。]+/g) ?? [text];
  let out = '';
  for (const s of sentences) {
    if ((out + s).length > max) break;
    out += s;
  }
  return (out || text.slice(0, max)).trim();
}

export function buildFaultDraft(source: DraftSource): FaultDraft {
  const { entry } = source;
  const a = entry.answer;
  const lang = entry.lang;
  const library = libraryOf(entry);
  const slug = kebab(a.title) || kebab(entry.error?.type.split('.').pop() ?? '') || 'unknown-error';

  const phrases = entry.error ? literalPhrases(entry.error.message) : [];
  const signature: Record<string, string> = {};
  if (entry.error?.type) signature.type = entry.error.type;
  if (phrases[0]) signature.message = escapeRegex(phrases[0]);
  const codes = [...new Set([...source.example.matchAll(/sqlalche\.me\/e\/\d{2}\/([a-z0-9]{4})\b/g)].map((m) => m[1] as string))];
  const docs = [...new Set([...source.example.matchAll(/https:\/\/[^\s)'"<>\]]{4,200}/g)].map((m) => m[0]).filter((u) => DOC_HOSTS.test(u)))];

  const used = new Set<string>();
  const fixes = a.fixes.map((f, i) => {
    let id = kebab(f.title, 5) || `fix-${i + 1}`;
    while (used.has(id)) id = `${id}-${i + 1}`;
    used.add(id);
    return {
      id,
      title: text(lang, f.title),
      score: Math.max(10, 90 - i * 10),
      why: text(lang, f.why),
      tradeoffs: {
        queries: text(lang, f.tradeoff || `${TODO}: what it costs`),
        scope: 'code',
        risk: 'medium',
        effort: 'medium',
      },
      snippet: f.snippet.trim() ? f.snippet : `# ${TODO}: snippet`,
      lang: f.lang,
      docs: docs.length ? docs.slice(0, 2) : [MISSING_DOCS],
    };
  });

  const data = {
    library,
    stack: [library],
    title: text(lang, a.title),
    summary: text(lang, firstSentences(a.cause)),
    match: {
      signatures: Object.keys(signature).length ? [signature] : [],
      codes,
      phrases: phrases.length ? phrases.slice(0, 3) : [a.title.slice(0, 120).padEnd(8, '.')],
    },
    causes: [{ id: 'likely-cause', title: text(lang, a.title), explanation: text(lang, a.cause) }],
    fixes,
    examples: [{ name: `first seen by the LLM fallback (${source.fingerprint})`, input: `${source.example.trim()}\n`, expect: {} }],
  };

  const doc = new Document(data);
  doc.commentBefore = [
    ` DRAFT, NOT REVIEWED. Written by \`faultline knowledge draft ${source.fingerprint}\` from an AI answer`,
    ` (model ${source.model}, prompt ${source.promptVersion}, ${new Date(source.createdAt).toISOString()}), not from the curated catalogue.`,
    ` Before moving it to knowledge/faults/${library}/${slug}.yaml: check every statement against the docs,`,
    ` resolve each ${TODO} (the other language, tradeoff grades, docs links), tighten the signature,`,
    ` add counterexamples, and run \`npx faultline knowledge check --only ${library}.${slug}\`.`,
    ` <HOST_n> and <PATH_n> in the example stand for hosts and paths that were masked; keep them masked.`,
  ].join('\n');
  return { library, slug, yaml: doc.toString({ lineWidth: 0 }) };
}
