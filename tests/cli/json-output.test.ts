import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonOutputSchemas, jsonSchemaText, type JsonOutputCommand } from '../../bot/render/json-schemas.js';
import { openStore } from '../../bot/store/open-store.js';
import { useTempDir } from '../store/helpers.js';
import { cli } from './run.js';

const root = join(import.meta.dirname, '..', '..');
const SAMPLE = join(root, 'knowledge', 'samples', 'missing-greenlet-pytest.txt');

/** One JSON value and nothing else: JSON.parse of the whole output would throw on a second one. */
function oneDocument(stdout: string): unknown {
  expect(stdout.endsWith('\n')).toBe(true);
  return JSON.parse(stdout);
}

function validates(command: JsonOutputCommand, value: unknown): void {
  const result = jsonOutputSchemas[command].safeParse(value);
  expect(result.success, result.success ? '' : JSON.stringify(result.error.issues.slice(0, 5))).toBe(true);
}

describe('every --json output is one document that fits its shipped schema', () => {
  const tempDir = useTempDir();

  it.each(Object.keys(jsonOutputSchemas) as JsonOutputCommand[])('schemas/%s.schema.json is what bot/render/json-schemas.ts generates (npm run schemas)', (command) => {
    expect(readFileSync(join(root, 'schemas', `${command}.schema.json`), 'utf8')).toBe(jsonSchemaText(command));
  });

  it('diagnose: a match, a non-match and chat', async () => {
    const runs: [string[], string | undefined][] = [
      [['diagnose', '--json', SAMPLE], undefined],
      [['diagnose', '--json', '--no-ai', '-'], 'acme.billing.LedgerImbalanceError: ledger 7 is off'],
      [['diagnose', '--json', '-'], 'lunch at noon?'],
    ];
    for (const [args, stdin] of runs) {
      const r = await cli(args, stdin);
      expect(r.code).toBe(0);
      validates('diagnose', oneDocument(r.stdout));
    }
  });

  it('show: by id and by a code, one document each', async () => {
    for (const key of ['sqlalchemy.missing-greenlet', 'xd2s']) {
      const r = await cli(['show', key, '--json']);
      expect(r.code).toBe(0);
      const doc = oneDocument(r.stdout) as { query: string; faults: { id: string }[] };
      validates('show', doc);
      expect(doc.query).toBe(key);
      expect(doc.faults.map((f) => f.id)).toContain('sqlalchemy.missing-greenlet');
    }
  });

  it('search', async () => {
    const r = await cli(['search', '--json', 'lazy', 'load']);
    const doc = oneDocument(r.stdout) as { results: unknown[] };
    validates('search', doc);
    expect(doc.results.length).toBeGreaterThan(0);
  });

  it('digest, over recorded occurrences', async () => {
    const path = join(tempDir(), 'json.db');
    const store = openStore({ path });
    const now = Date.now();
    await store.occurrences.recordMany([
      { source: 'cli', at: now - 3_600_000, faultId: 'sqlalchemy.missing-greenlet', fingerprint: 'v1:0000000000000001', text: 'sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called' },
      { source: 'cli', at: now - 7_200_000, faultId: null, fingerprint: 'v1:00000000000000ff', text: 'ValueError: odd' },
    ]);
    await store.close();
    const r = await cli(['digest', '--json'], undefined, { FAULTLINE_DB: path });
    expect(r.code).toBe(0);
    validates('digest', oneDocument(r.stdout));
  });

  it('eval, on a small corpus', async () => {
    const r = await cli(['eval', '--json', '--corpus', join(root, 'tests', 'corpus')]);
    validates('eval', oneDocument(r.stdout));
  });

  it('a schema rejects a document missing a field it promises', () => {
    expect(jsonOutputSchemas.show.safeParse({ query: 'x' }).success).toBe(false);
    expect(jsonOutputSchemas.diagnose.safeParse({ match: null }).success).toBe(false);
  });
});
