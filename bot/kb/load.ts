import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { faultFileSchema, type FaultFile } from './schema.js';
import { compileFault, type Fault } from './compile.js';
import { defaultKnowledgeDir, faultIdFromPath, listFaultFiles, type KnowledgeProblem } from './files.js';

export { defaultKnowledgeDir, faultIdFromPath, formatProblem, listFaultFiles, packageRoot, type KnowledgeProblem } from './files.js';

export interface Knowledge {
  faults: Fault[];
  problems: KnowledgeProblem[];
  root: string;
}

function zodPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

export function parseFaultFile(root: string, file: string, source: string): { fault: Fault | null; problems: KnowledgeProblem[] } {
  const shown = relative(dirname(root), file);
  const problem = (field: string, message: string): KnowledgeProblem => ({ file: shown, field, message });
  const id = faultIdFromPath(root, file);
  if (!id || !/^[a-z0-9-]+\.[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) {
    return { fault: null, problems: [problem('', 'fault files live at knowledge/faults/<library>/<kebab-slug>.yaml')] };
  }
  let data: unknown;
  try {
    data = parseYaml(source, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    return { fault: null, problems: [problem('', `not valid YAML: ${(err as Error).message.split('\n')[0]}`)] };
  }
  const parsed = faultFileSchema.safeParse(data);
  if (!parsed.success) {
    return {
      fault: null,
      problems: parsed.error.issues.map((i: z.core.$ZodIssue) => problem(zodPath(i.path), i.message)),
    };
  }
  const spec: FaultFile = parsed.data;
  const compiled = compileFault(id, shown, spec);
  return { fault: compiled.problems.length ? null : compiled.fault, problems: compiled.problems.map((p) => problem(p.field, p.message)) };
}

/**
 * Loads every fault file. A broken file is reported and skipped so one bad rule never takes
 * the bot down; `knowledge check` turns any problem into a failure.
 */
export function loadKnowledge(root: string = defaultKnowledgeDir()): Knowledge {
  const faults: Fault[] = [];
  const problems: KnowledgeProblem[] = [];
  for (const file of listFaultFiles(root)) {
    const { fault, problems: p } = parseFaultFile(root, file, readFileSync(file, 'utf8'));
    problems.push(...p);
    if (fault) faults.push(fault);
  }
  if (faults.length === 0 && problems.length === 0) {
    problems.push({ file: relative(process.cwd(), root) || root, field: '', message: 'no fault files found under faults/' });
  }
  return { faults, problems, root };
}
