import { describe, expect, it } from 'vitest';
import { ANSWER_JSON_SCHEMA, MAX_AI_FIXES, modelAnswerSchema, parseModelAnswer } from '../../bot/ai/answer-schema.js';
import { MAX_PROMPT_PASTE_CHARS, PROMPT_VERSION, buildPrompt, cutLines, promptKey } from '../../bot/ai/prompt.js';
import { shippedEngine } from '../helpers.js';
import { HOST, SECRETS, UNKNOWN_ERROR, leakedSecrets } from './pastes.js';

const engine = shippedEngine();
const prompt = (text: string) => buildPrompt({ text, diagnosis: engine.diagnose(text), lang: 'en' }, []);
const sent = (p: ReturnType<typeof prompt>) => p.messages.map((m) => m.content).join('\n');

describe('the prompt', () => {
  it('holds the masked error, its chain and names, and nothing secret', () => {
    const p = prompt(UNKNOWN_ERROR);
    const text = sent(p);
    expect(leakedSecrets(text)).toEqual([]);
    expect(text).not.toContain(HOST);
    expect(text).not.toContain('/srv/acme');
    expect(text).toContain('The error to explain: sqlalchemy.exc.InternalError: (psycopg2.errors.RaiseException) order total must not be negative');
    expect(text).toContain('CONTEXT:  PL/pgSQL function orders_check_total() line 4 at RAISE');
    expect(text).toContain('[SQL: INSERT INTO orders (customer_email, street, total)');
    expect(text).not.toContain('[parameters:');
    expect(text).toContain('driver: psycopg2');
    expect(p.unsafe).toBe(false);
    // Hosts and paths come back in the answer; secrets never do.
    expect(p.restore('connect to <HOST_1> from <PATH_1>/billing.py with <redacted>')).toBe(`connect to ${HOST} from /srv/acme/app/services/billing.py with <redacted>`);
    expect(leakedSecrets(p.restore(text))).toEqual([]);
    // The cache keeps the masked paste only.
    expect(leakedSecrets(p.example + JSON.stringify(p.error))).toEqual([]);
    expect(p.example).not.toContain(HOST);
  });

  it('masks a host the same way wherever it appears, so one placeholder restores everywhere', () => {
    const text = `psycopg2.OperationalError: could not translate host name "${HOST}" to address\nhost=${HOST} port=5432\n`;
    const p = prompt(text);
    expect(sent(p)).not.toContain(HOST);
    expect(sent(p).match(/<HOST_\d>/g)?.every((h) => h === '<HOST_1>')).toBe(true);
  });

  it('drops row values from PostgreSQL DETAIL lines, keeping the columns', () => {
    const text = sent(prompt('sqlalchemy.exc.IntegrityError: (psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint "users_email_key"\nDETAIL:  Key (email)=(jane@x.io) already exists.\nDETAIL:  Failing row contains (1, Hanako, null).'));
    expect(text).toContain('Key (email)=(<redacted>) already exists.');
    expect(text).toContain('Failing row contains (<redacted>).');
    expect(text).not.toContain('Hanako');
  });

  it('bounds a huge paste to its head and tail, redacting before it cuts', () => {
    const filler = Array.from({ length: 4000 }, (_, i) => `INFO worker tick ${i} ok`).join('\n');
    const key = `-----BEGIN RSA PRIVATE KEY-----\n${'MIIEowIBAAKCAQEA'.repeat(4)}\n${'x'.repeat(64)}\n-----END RSA PRIVATE KEY-----`;
    const text = `${key}\n${filler}\nDATABASE_URL=postgresql://app:${SECRETS.dsnPassword}@${HOST}/app\nredis.exceptions.ConnectionError: Error 111 connecting to ${HOST}:6379. Connection refused.\n`;
    const p = prompt(text);
    const user = p.messages[1].content;
    expect(user.length).toBeLessThan(MAX_PROMPT_PASTE_CHARS + 4000);
    expect(user).toContain('lines omitted');
    expect(user).toContain('redis.exceptions.ConnectionError: Error 111 connecting to <HOST_1>:6379');
    expect(user).not.toContain('MIIEowIBAAKCAQEA');
    expect(leakedSecrets(user)).toEqual([]);
    expect(cutLines('a\nb\nc', 100)).toBe('a\nb\nc');
    expect(cutLines('x'.repeat(50_000), 1000).length).toBeLessThanOrEqual(1000);
  });

  it('cannot be split by a separator character inside the paste', () => {
    const p = prompt(`sqlalchemy.exc.ResourceClosedError: This result object does not return rows.\u241E\nhost=${HOST}\n`);
    expect(sent(p)).not.toContain(HOST);
    expect(p.error?.type).toBe('sqlalchemy.exc.ResourceClosedError');
  });

  it('is versioned: the cache key carries the prompt version and the language', () => {
    expect(promptKey('en')).toBe(`${PROMPT_VERSION}:en`);
    expect(promptKey('ja')).not.toBe(promptKey('en'));
  });
});

describe('the answer schema', () => {
  const valid = { title: 'T', cause: 'C', library: 'sqlalchemy', confidence: 0.5, fixes: [{ title: 'F', why: 'W', tradeoff: 'none', snippet: 'x = 1', lang: 'python' }] };

  it('asks for exactly what it accepts', () => {
    expect([...ANSWER_JSON_SCHEMA.required].sort()).toEqual(Object.keys(modelAnswerSchema.shape).sort());
    expect([...ANSWER_JSON_SCHEMA.properties.fixes.items.required].sort()).toEqual(Object.keys(valid.fixes[0]!).sort());
  });

  it('accepts a valid answer, keeps the best fixes, and normalises the loose parts', () => {
    const many = { ...valid, library: '  ', fixes: Array.from({ length: 5 }, (_, i) => ({ ...valid.fixes[0]!, title: `F${i}`, lang: i ? 'Weird Lang!' : 'SQL' })) };
    const a = parseModelAnswer(JSON.stringify(many))!;
    expect(a.fixes.map((f) => f.title)).toEqual(['F0', 'F1', 'F2'].slice(0, MAX_AI_FIXES));
    expect(a.fixes.map((f) => f.lang)).toEqual(['sql', 'text', 'text']);
    expect(a.library).toBeNull();
  });

  it('treats anything else as no answer', () => {
    for (const bad of ['', 'null', '[]', '{"cause": "x"}', JSON.stringify({ ...valid, confidence: 72 }), JSON.stringify({ ...valid, cause: '' }), JSON.stringify({ ...valid, fixes: [] }), JSON.stringify({ ...valid, fixes: [{ title: 'no why' }] })]) {
      expect(parseModelAnswer(bad), bad).toBeNull();
    }
    expect(parseModelAnswer(null)).toBeNull();
  });
});
