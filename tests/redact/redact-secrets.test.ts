import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { MASK_PATTERNS } from '../../bot/redact/mask-for-ai.js';
import { redactSecrets } from '../../bot/redact/redact-secrets.js';
import { SECRET_RULES } from '../../bot/redact/rules.js';
import { CORPUS, SECRET } from './corpus.js';

/** The secret and its halves: a partial leak is a leak. */
function pieces(secret: string): string[] {
  if (secret.length < 16) return [secret];
  const half = Math.floor(secret.length / 2);
  return [secret, secret.slice(0, half), secret.slice(half)];
}

describe('each rule', () => {
  for (const rule of SECRET_RULES) {
    describe(rule.name, () => {
      it.each(rule.examples.map((e, i) => [i, e] as const))('redacts its example %i', (_i, example) => {
        const { text, counts } = redactSecrets(example.input);
        expect(text).not.toContain(example.secret);
        for (const keep of example.keeps ?? []) expect(text).toContain(keep);
        expect(Object.keys(counts).length).toBeGreaterThan(0);
        // The rule itself does the work, not a neighbour.
        expect(rule.apply(example.input).text).not.toContain(example.secret);
      });
      it.each(rule.counterexamples.map((c, i) => [i, c] as const))('leaves counterexample %i alone', (_i, input) => {
        expect(redactSecrets(input)).toEqual({ text: input, counts: {} });
      });
    });
  }

  it('every rule has examples and counterexamples', () => {
    for (const rule of SECRET_RULES) {
      expect(rule.examples.length, rule.name).toBeGreaterThan(0);
      expect(rule.counterexamples.length, rule.name).toBeGreaterThan(0);
    }
  });
});

describe('regexes on untrusted text', () => {
  const patterns = [...SECRET_RULES.flatMap((r) => r.patterns.map((p) => [r.name, p] as const)), ...MASK_PATTERNS.map((p) => ['mask', p] as const)];
  it.each(patterns.map(([name, p]) => [name, p.source, p.flags] as const))('%s: /%s/%s is linear (recheck)', (_name, source, flags) => {
    // The exact automaton analysis first; recheck's default would fuzz any pattern with a repeat
    // bound above 30 (`{40}`), and the fuzzer's verdict varies from run to run.
    const exact = checkSync(source, flags, { timeout: 20_000, checker: 'automaton' });
    const result = exact.status === 'unknown' ? checkSync(source, flags, { timeout: 20_000 }) : exact;
    expect(result.status, result.status === 'vulnerable' ? `attack: ${result.attack.pattern}` : '').toBe('safe');
  });

  // Inputs shaped to make a careless scanner rescan: each must simply finish.
  const MB = 1024 * 1024;
  const hostile: [string, string][] = [
    ['URL schemes without userinfo end', 'a://b:'.repeat(MB / 6)],
    ['at signs', 'a@'.repeat(MB / 2)],
    ['password keys without values', 'password='.repeat(MB / 9)],
    ['unterminated SQL parameters on one line', '[parameters: ('.repeat(MB / 14)],
    ['SQL parameters with escaped newlines', "[parameters: ('x')]\\n".repeat(MB / 22)],
    ['PEM headers without footers', '-----BEGIN PRIVATE KEY-----\nAAAA\n'.repeat(MB / 34)],
    ['JWT-like prefixes', 'eyJhbGciOi.'.repeat(MB / 11)],
    ['pydantic inputs without types', 'input_value='.repeat(MB / 12)],
    ['word characters', 'x'.repeat(MB)],
    ['bearer words', 'bearer '.repeat(MB / 7)],
  ];
  it.each(hostile)('finishes on 1 MB of %s', (_name, input) => {
    const { text } = redactSecrets(input);
    expect(typeof text).toBe('string');
  });
});

describe('the corpus of tracebacks with planted secrets', () => {
  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_name, entry) => {
    for (const secret of entry.secrets) expect(entry.text).toContain(secret);
    const { text, counts } = redactSecrets(entry.text);
    for (const secret of entry.secrets) {
      for (const piece of pieces(secret)) expect(text, `leaked '${piece}'`).not.toContain(piece);
    }
    for (const name of entry.names) expect(text, `lost '${name}'`).toContain(name);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(entry.secrets.length > 0 ? 1 : 0);
  });

  it('plants every kind of secret the issue lists', () => {
    const all = CORPUS.map((c) => c.text).join('\n');
    const counts = CORPUS.map((c) => redactSecrets(c.text).counts).reduce<Record<string, number>>((acc, c) => {
      for (const [k, v] of Object.entries(c)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {});
    for (const kind of ['url_password', 'password_pair', 'slack_token', 'openai_key', 'aws_access_key', 'aws_secret_key', 'github_token', 'jwt', 'authorization', 'bearer', 'private_key', 'email', 'sql_parameters', 'pydantic_input']) {
      expect(counts[kind], kind).toBeGreaterThan(0);
    }
    for (const secret of Object.values(SECRET)) expect(all).toContain(secret);
  });

  it('is idempotent', () => {
    for (const entry of CORPUS) {
      const once = redactSecrets(entry.text).text;
      expect(redactSecrets(once)).toEqual({ text: once, counts: {} });
    }
  });

  it('drops the SQLAlchemy parameters trailer line entirely', () => {
    const entry = CORPUS.find((c) => c.name.startsWith('IntegrityError'));
    const { text } = redactSecrets(entry?.text ?? '');
    expect(text).not.toContain('[parameters:');
    expect(text).toMatch(/RETURNING users\.id\]\n\(Background on this error at: https:\/\/sqlalche\.me\/e\/20\/gkpj\)/);
  });
});
