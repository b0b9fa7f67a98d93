import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KnowledgeProblem {
  file: string;
  field: string;
  message: string;
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

/** Every `faults/<library>/<slug>.yaml` under a knowledge folder, sorted. */
export function listFaultFiles(root: string): string[] {
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

/** `faults/sqlalchemy/missing-greenlet.yaml` -> `sqlalchemy.missing-greenlet`. */
export function faultIdFromPath(root: string, file: string): string | null {
  const rel = relative(join(root, 'faults'), file).split(sep);
  if (rel.length !== 2) return null;
  const [library, name] = rel as [string, string];
  return `${library}.${name.replace(/\.ya?ml$/, '')}`;
}

export function describeProblems(problems: KnowledgeProblem[]): string {
  return `${problems.length} fault file problem(s); those files were skipped. Run 'npx faultline knowledge check' for details.\n${problems.slice(0, 5).map(formatProblem).join('\n')}`;
}
