import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadEngine } from '../bot/kb/engine.js';
import type { Engine } from '../bot/triage/diagnose.js';

let cached: Engine | null = null;

/** The engine over the shipped catalogue, built once per test file. */
export function shippedEngine(): Engine {
  cached ??= loadEngine().engine;
  return cached;
}

export function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
}

/** An example input of a shipped fault, by the example's name. */
export function faultExample(path: string, name: string): string {
  const data = parseYaml(readFileSync(join(import.meta.dirname, '..', 'knowledge', 'faults', path), 'utf8')) as { examples: { name: string; input: string }[] };
  const ex = data.examples.find((e) => e.name === name);
  if (!ex) throw new Error(`no example '${name}' in ${path}`);
  return ex.input;
}
