import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fault } from './compile.js';

/** A trace the lab recorded: real output of a program that reproduced a fault in one world. */
export interface LabTrace {
  /** knowledge/lab/traces/<library>/<slug>/<scenario>.<world>.txt, relative to the knowledge dir. */
  origin: string;
  faultId: string;
  scenario: string;
  world: string;
  /** The cause the fault file's scenario names; null when the output cannot tell the variant. */
  cause: string | null;
  /** The fault or its scenario is gone from the fault file: the trace must be re-recorded or deleted. */
  orphan: boolean;
  text: string;
}

/**
 * Every recorded trace under `<knowledgeDir>/lab/traces`, with the fault and cause it must
 * diagnose as (from the fault file's `lab.scenarios`). Written by `npm run lab -- --record`.
 */
export function readLabTraces(knowledgeDir: string, faults: Fault[]): LabTrace[] {
  const root = join(knowledgeDir, 'lab', 'traces');
  if (!existsSync(root)) return [];
  const byId = new Map(faults.map((f) => [f.id, f]));
  const out: LabTrace[] = [];
  for (const library of readdirSync(root).sort()) {
    if (!existsSync(join(root, library))) continue;
    for (const slug of readdirSync(join(root, library)).sort()) {
      const dir = join(root, library, slug);
      for (const name of readdirSync(dir).sort()) {
        const m = /^([a-z0-9-]+)\.(bookworm|trixie)\.txt$/.exec(name);
        if (!m) continue;
        const faultId = `${library}.${slug}`;
        const scenario = m[1] as string;
        const found = byId.get(faultId)?.lab?.scenarios.find((s) => s.id === scenario);
        out.push({ origin: `lab/traces/${library}/${slug}/${name}`, faultId, scenario, world: m[2] as string, cause: found?.cause ?? null, orphan: !found, text: readFileSync(join(dir, name), 'utf8') });
      }
    }
  }
  return out;
}
