import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../bot/store/open-store.js';
import { collect, spawnTs, useTempDir } from './helpers.js';

const WRITER = join(import.meta.dirname, 'fixtures', 'heavy-writer.ts');

describe('a writer killed with SIGKILL during heavy writes', () => {
  const tempDir = useTempDir();

  it('leaves a readable database holding every occurrence it acknowledged', async () => {
    const path = join(tempDir(), 'crash.db');
    const child = spawnTs(WRITER, [path]);
    let acked = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      acked += chunk.toString('utf8').split('\n').length - 1;
      // Kill it mid-stream, well into steady writing.
      if (acked >= 5000 && !child.killed) child.kill('SIGKILL');
    });
    const { lines, signal, stderr } = await collect(child);
    expect(stderr).toBe('');
    expect(signal).toBe('SIGKILL');
    const ids = lines.map(Number);
    expect(ids.length).toBeGreaterThanOrEqual(5000);

    // Read it raw first: integrity, WAL recovery, every acknowledged id present.
    const db = new Database(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const present = new Set(db.prepare('SELECT id FROM occurrences').pluck().all() as number[]);
    const missing = ids.filter((id) => !present.has(id));
    expect(missing).toEqual([]);
    // The rollups moved in the same transactions as the rows.
    expect(db.prepare('SELECT sum(n) FROM fault_hours').pluck().get()).toBe(present.size);
    const leaked = db.prepare(`SELECT count(*) FROM occurrences WHERE excerpt LIKE '%hunter2%' OR excerpt LIKE '%s3cret%'`).pluck().get();
    expect(leaked).toBe(0);
    db.close();

    // And the application opens it and keeps writing.
    const store = openStore({ path });
    const next = await store.occurrences.record({ source: 'cli', faultId: null, fingerprint: 'v1:after', text: 'after the crash' });
    expect(next).toBeGreaterThan(Math.max(...ids));
    await store.close();
  });
});
