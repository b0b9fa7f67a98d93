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
  // Dirent types instead of a stat per entry: this runs on every CLI start. A symlink (or a file
  // system that reports no type) is stat'ed as before.
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      // `dir` is already normal and an entry name holds no separator: a concatenation, not the
      // path.join (normalisation) that cost every start ~2 ms over the catalogue.
      const full = dir + sep + entry.name;
      const isDir = entry.isDirectory() || ((entry.isSymbolicLink() || (!entry.isFile() && !entry.isDirectory())) && statSync(full).isDirectory());
      if (isDir) {
        if (depth < 2) walk(full, depth + 1);
      } else if (/\.ya?ml$/.test(entry.name)) {
        out.push(full);
      }
    }
  };
  walk(faultsDir, 0);
  return out;
}

/** `faults/sqlalchemy/missing-greenlet.yaml` -> `sqlalchemy.missing-greenlet`. */
export function faultIdFromPath(root: string, file: string): string | null {
  const base = join(root, 'faults') + sep;
  // The common case (a path listFaultFiles built) needs no path.relative, which costs on every start.
  const rel = (file.startsWith(base) ? file.slice(base.length) : relative(join(root, 'faults'), file)).split(sep);
  if (rel.length !== 2) return null;
  const [library, name] = rel as [string, string];
  return `${library}.${name.replace(/\.ya?ml$/, '')}`;
}

export function describeProblems(problems: KnowledgeProblem[]): string {
  return `${problems.length} fault file problem(s); those files were skipped. Run 'npx faultline knowledge check' for details.\n${problems.slice(0, 5).map(formatProblem).join('\n')}`;
}
