import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../bot/kb/compile.js';
import { loadKnowledge } from '../../bot/kb/load.js';
import { loadKnowledgeQuick, writeKnowledgeSnapshot } from '../../bot/kb/snapshot.js';
import { createEngine } from '../../bot/triage/diagnose.js';

const shipped = join(import.meta.dirname, '..', '..', 'knowledge');

/** A fault as the engine uses it: regexes by source and flags, examples left out. */
function comparable(f: Fault): unknown {
  return JSON.parse(JSON.stringify({ ...f, examples: [], counterexamples: [] }, (_k, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v)));
}

describe('the start-up snapshot of the catalogue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-snapshot-'));
  const knowledge = join(dir, 'knowledge');
  cpSync(shipped, knowledge, { recursive: true });
  const snapshot = join(dir, 'knowledge-snapshot.json');

  it('gives the same faults as parsing the YAML', async () => {
    await writeKnowledgeSnapshot(knowledge, snapshot);
    const quick = await loadKnowledgeQuick(knowledge, snapshot);
    const full = loadKnowledge(knowledge);
    expect(quick.problems).toEqual([]);
    expect(quick.faults.map(comparable)).toEqual(full.faults.map(comparable));
    expect(quick.faults.map((f) => f.signatures[0]?.message ?? f.signatures[0]?.type).every((x) => x !== undefined)).toBe(true);
  });

  it('parses the fixes, causes and lab runs of a fault only when they are read', async () => {
    await writeKnowledgeSnapshot(knowledge, snapshot);
    const quick = await loadKnowledgeQuick(knowledge, snapshot);
    const parsed = (f: Fault): boolean => Object.getOwnPropertyDescriptor(f, 'fixes')?.get === undefined;
    expect(quick.faults.some(parsed)).toBe(false);
    const trace = readFileSync(join(knowledge, 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
    const d = createEngine(quick.faults).diagnose(trace);
    expect(d.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(d.fixes.length).toBeGreaterThan(0);
    expect(quick.faults.filter(parsed).map((f) => f.id)).toEqual(['sqlalchemy.missing-greenlet']);
    // Written like any property; the other details stay as parsed.
    const other = quick.faults.find((f) => f.id === 'sqlalchemy.detached-instance') as Fault;
    other.fixes = [];
    expect(other.fixes).toEqual([]);
    expect(other.causes.length).toBeGreaterThan(0);
  });

  it('re-reads a file whose content changed, even when its size and mtime did not', async () => {
    await writeKnowledgeSnapshot(knowledge, snapshot);
    const file = join(knowledge, 'faults', 'sqlalchemy', 'missing-greenlet.yaml');
    const source = readFileSync(file, 'utf8');
    const edited = source.replace('Implicit database IO outside the async context', 'Implicit database IO outside the asynx context');
    expect(edited.length).toBe(source.length);
    writeFileSync(file, edited);
    // Same size; put the mtime back to what the snapshot recorded: only the hash can tell.
    const recorded = (JSON.parse(readFileSync(snapshot, 'utf8')) as { files: Record<string, { mtimeMs: number }> }).files['faults/sqlalchemy/missing-greenlet.yaml']!.mtimeMs;
    utimesSync(file, new Date(recorded), new Date(recorded));
    const quick = await loadKnowledgeQuick(knowledge, snapshot);
    expect(quick.faults.find((f) => f.id === 'sqlalchemy.missing-greenlet')?.title.en).toContain('asynx context');
    // Unchanged files still come from the snapshot (no examples there).
    expect(quick.faults.find((f) => f.id === 'sqlalchemy.detached-instance')?.examples).toEqual([]);
    writeFileSync(file, source);
  });

  it('reports a broken file as a problem and keeps the rest, and works without a snapshot', async () => {
    await writeKnowledgeSnapshot(knowledge, snapshot);
    const file = join(knowledge, 'faults', 'sqlalchemy', 'stale-data.yaml');
    const source = readFileSync(file, 'utf8');
    writeFileSync(file, `${source}\nunknown_key: 1\n`);
    const quick = await loadKnowledgeQuick(knowledge, snapshot);
    expect(quick.problems.map((p) => p.file)).toEqual([join('knowledge', 'faults', 'sqlalchemy', 'stale-data.yaml')]);
    expect(quick.faults.some((f) => f.id === 'sqlalchemy.stale-data')).toBe(false);
    writeFileSync(file, source);
    const none = await loadKnowledgeQuick(knowledge, join(dir, 'no-such-snapshot.json'));
    expect(none.faults.length).toBe(loadKnowledge(knowledge).faults.length);
    expect(none.faults.every((f) => f.examples.length > 0)).toBe(true);
  });
});
