import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { structuralProblems } from '../../bot/kb/regex-safety.js';
import { MASK_PATTERNS } from '../../bot/redact/mask-for-ai.js';
import { defaultRedactor, redact } from '../../bot/redact/redact.js';
import { SCANNER_PATTERNS } from '../../bot/redact/scanners.js';
import { CORPUS, SECRET } from './corpus.js';

const { rules } = defaultRedactor();

/** The secret and its halves: a partial leak is a leak. */
function pieces(secret: string): string[] {
  if (secret.length < 16) return [secret];
  const half = Math.floor(secret.length / 2);
  return [secret, secret.slice(0, half), secret.slice(half)];
}

describe('each rule file in knowledge/redaction', () => {
  for (const rule of rules) {
    describe(rule.id, () => {
      it.each(rule.examples.map((e, i) => [i, e] as const))('redacts its example %i', (_i, example) => {
        const { text } = redact(example.input);
        for (const secret of [example.secret].flat()) {
          expect(example.input, 'the example holds its secret').toContain(secret);
          expect(text).not.toContain(secret);
        }
        for (const keep of example.keeps ?? []) expect(text).toContain(keep);
        // The rule itself does the work, not a neighbour.
        expect(rule.apply(example.input).count, 'the rule fired').toBeGreaterThan(0);
      });
      it.each(rule.counterexamples.map((c, i) => [i, c] as const))('leaves counterexample %i alone', (_i, input) => {
        expect(redact(input)).toEqual({ text: input, counts: {} });
      });
      it('is idempotent on its examples', () => {
        for (const example of rule.examples) {
          const once = redact(example.input).text;
          expect(redact(once)).toEqual({ text: once, counts: {} });
        }
      });
    });
  }

  it('has rules from every file, with unique ids', () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(new Set(rules.map((r) => r.file)).size).toBeGreaterThanOrEqual(6);
  });
});

describe('regexes on untrusted text', () => {
  const patterns = [
    ...rules.flatMap((r) => r.sources.map((s) => [r.id, s.source, s.flags] as const)),
    ...SCANNER_PATTERNS.map((p) => ['scanner', p.source, p.flags] as const),
    ...MASK_PATTERNS.map((p) => ['mask', p.source, p.flags] as const),
  ];
  it.each(patterns)('%s: /%s/%s passes the structural check', (_name, source) => {
    expect(structuralProblems(source)).toEqual([]);
  });
  it.each(patterns)('%s: /%s/%s is linear (recheck)', (_name, source, flags) => {
    // The exact automaton analysis first; recheck's default would fuzz any pattern with a repeat
    // bound above 30 (`{40}`), and the fuzzer's verdict varies from run to run.
    const exact = checkSync(source, flags, { timeout: 20_000, checker: 'automaton' });
    const result = exact.status === 'unknown' ? checkSync(source, flags, { timeout: 20_000 }) : exact;
    expect(result.status, result.status === 'vulnerable' ? `attack: ${result.attack.pattern}` : '').not.toBe('vulnerable');
  });

  // Inputs shaped to make a careless rule rescan: each must simply finish.
  const MB = 1024 * 1024;
  const hostile: [string, string][] = [
    ['URL schemes without userinfo end', 'a://b:'.repeat(MB / 6)],
    ['URL userinfo with many at signs', `x://u:${'p@'.repeat(MB / 4)}`],
    ['at signs', 'a@'.repeat(MB / 2)],
    ['password keys without values', 'password='.repeat(MB / 9)],
    ['secret names without separators', 'db_password_secret_token_'.repeat(MB / 25)],
    ['one line of secret names', `${'accessToken:'.repeat(MB / 12)}`],
    ['unterminated SQL parameters on one line', '[parameters: ('.repeat(MB / 14)],
    ['SQL parameters with escaped newlines', "[parameters: ('x')]\\n".repeat(MB / 22)],
    ['PEM headers without footers', '-----BEGIN PRIVATE KEY-----\nAAAA\n'.repeat(MB / 34)],
    ['JWT-like prefixes', 'eyJhbGciOi.'.repeat(MB / 11)],
    ['pydantic inputs without types', 'input_value='.repeat(MB / 12)],
    ['word characters', 'x'.repeat(MB)],
    ['digits', '4'.repeat(MB)],
    ['spaced digit groups', '4111 '.repeat(MB / 5)],
    ['bearer words', 'bearer '.repeat(MB / 7)],
    ['keyword soup', 'sk-xoxb-ghp_AKIAsession=token:'.repeat(MB / 32)],
  ];
  it.each(hostile)('finishes on 1 MB of %s', (_name, input) => {
    const { text } = redact(input);
    expect(typeof text).toBe('string');
  });
});

describe('the corpus of tracebacks with planted secrets', () => {
  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_name, entry) => {
    for (const secret of entry.secrets) expect(entry.text).toContain(secret);
    const { text, counts } = redact(entry.text);
    for (const secret of entry.secrets) {
      for (const piece of pieces(secret)) expect(text, `leaked '${piece}'`).not.toContain(piece);
    }
    for (const name of entry.names) expect(text, `lost '${name}'`).toContain(name);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(entry.secrets.length > 0 ? 1 : 0);
  });

  it('plants every kind of secret the issue lists', () => {
    const all = CORPUS.map((c) => c.text).join('\n');
    const counts = CORPUS.map((c) => redact(c.text).counts).reduce<Record<string, number>>((acc, c) => {
      for (const [k, v] of Object.entries(c)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {});
    for (const kind of ['url-userinfo', 'secret-assignment', 'slack-token', 'openai-key', 'aws-access-key', 'github-token', 'jwt', 'authorization-header', 'private-key', 'email', 'sql-parameters', 'pydantic-input']) {
      expect(counts[kind], kind).toBeGreaterThan(0);
    }
    for (const secret of Object.values(SECRET)) expect(all).toContain(secret);
  });

  it('is idempotent', () => {
    for (const entry of CORPUS) {
      const once = redact(entry.text).text;
      expect(redact(once)).toEqual({ text: once, counts: {} });
    }
  });

  it('drops the SQLAlchemy parameters trailer line entirely', () => {
    const entry = CORPUS.find((c) => c.name.startsWith('IntegrityError'));
    const { text } = redact(entry?.text ?? '');
    expect(text).not.toContain('[parameters:');
    expect(text).toMatch(/RETURNING users\.id\]\n\(Background on this error at: https:\/\/sqlalche\.me\/e\/20\/gkpj\)/);
  });
});
