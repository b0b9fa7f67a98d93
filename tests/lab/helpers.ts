import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledge } from '../../bot/kb/load.js';
import { createEngine } from '../../bot/triage/diagnose.js';

/** A tiny catalogue of two demo faults with real programs and traces the lab recorded from them. */
export const FIXTURE_DIR = join(import.meta.dirname, '..', 'fixtures', 'lab', 'knowledge');

export function fixtureKnowledge() {
  const knowledge = loadKnowledge(FIXTURE_DIR);
  return { knowledge, engine: createEngine(knowledge.faults) };
}

export function fixtureTrace(fault: string, name: string): string {
  return readFileSync(join(FIXTURE_DIR, 'lab', 'traces', 'demo', fault, name), 'utf8');
}

export function fixtureFaultSource(slug: string): string {
  return readFileSync(join(FIXTURE_DIR, 'faults', 'demo', `${slug}.yaml`), 'utf8');
}
