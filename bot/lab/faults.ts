import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Fault } from '../kb/compile.js';
import type { LabSpec } from '../kb/schema.js';
import type { FaultResults } from './results.js';

/** One fault as the lab sees it: where its file and program are, and its `lab:` section. */
export interface LabFault {
  id: string;
  library: string;
  slug: string;
  /** Absolute path of the fault file. */
  file: string;
  /** As shown to people (knowledge/faults/<library>/<slug>.yaml). */
  shownFile: string;
  /** The program, relative to knowledge/lab. */
  program: string;
  lab: LabSpec | null;
}

/** The lab view of every loaded fault (files that failed to load are `knowledge check`'s job). */
export function labFaults(knowledgeDir: string, faults: Fault[]): LabFault[] {
  return faults.map((f) => {
    const [library, slug] = f.id.split('.') as [string, string];
    const file = join(dirname(knowledgeDir), f.file);
    return { id: f.id, library, slug, file, shownFile: f.file, program: `programs/${library}/${slug}.py`, lab: f.lab };
  });
}

export function programExists(knowledgeDir: string, fault: LabFault): boolean {
  return existsSync(join(knowledgeDir, 'lab', fault.program));
}

export function recordedResults(fault: LabFault): FaultResults | undefined {
  return fault.lab?.results as FaultResults | undefined;
}

/** `knowledge/lab/traces/<library>/<slug>/<scenario>.<world>.txt` */
export function tracePath(knowledgeDir: string, fault: Pick<LabFault, 'library' | 'slug'>, scenario: string, world: string): string {
  return join(knowledgeDir, 'lab', 'traces', fault.library, fault.slug, `${scenario}.${world}.txt`);
}
