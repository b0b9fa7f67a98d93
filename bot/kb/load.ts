import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { faultFileSchema, type FaultFile } from './schema.js';
import { compileFault, type Fault } from './compile.js';

export interface KnowledgeProblem {
  file: string;
  field: string;
  message: string;
}

export interface Knowledge {
  faults: Fault[];
  problems: KnowledgeProblem[];
  root: string;
}

export function formatProblem(p: KnowledgeProblem): string {
  return `${p.file}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

/** The package root, from this file in `bot/kb/` (tsx) or `dist/bot/kb/` (built). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'knowledge'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('Cannot find the Faultline package root (a folder with package.json and knowledge/).');
}

export function defaultKnowledgeDir(): string {
  return join(packageRoot(), 'knowledge');
}

function listFaultFiles(root: string): string[] {
  const faultsDir = join(root, 'faults');
  if (!existsSync(faultsDir)) return [];
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (depth < 2) walk(full, depth + 1);
      } else if (/\.ya?ml$/.test(name)) {
        out.push(full);
      }
    }
  };
  walk(faultsDir, 0);
  return out;
}

function zodPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** `faults/sqlalchemy/missing-greenlet.yaml` -> `sqlalchemy.missing-greenlet`. */
export function faultIdFromPath(root: string, file: string): string | null {
  const rel = relative(join(root, 'faults'), file).split(sep);
  if (rel.length !== 2) return null;
  const [library, name] = rel as [string, string];
  return `${library}.${name.replace(/\.ya?ml$/, '')}`;
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
