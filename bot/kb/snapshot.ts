import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../triage/diagnose.js';
import type { CompiledCause, CompiledClue, CompiledSignature, Fault } from './compile.js';
import type { LoadedEngine } from './engine.js';
import { defaultKnowledgeDir, faultIdFromPath, listFaultFiles, type KnowledgeProblem } from './files.js';
import type { Knowledge } from './load.js';

/*
 * Parsing the catalogue's YAML (about 0.9 MB, mostly examples) takes ~450 ms and loading zod
 * ~80 ms: most of a CLI start. `npm run build` writes the validated, compiled faults to
 * dist/knowledge-snapshot.json (built with the code that reads it), keyed by each file's size, mtime and SHA-256. A start reads the
 * snapshot (a few ms) and trusts an entry when the file's size and mtime are unchanged, else
 * when its content hash is (a checkout touches mtimes); only the files whose content changed are
 * parsed and validated, exactly as before. A fault therefore never comes from a stale entry.
 *
 * The examples and counterexamples (three quarters of the bytes) are left out: only
 * `knowledge check`, `eval` and drafts use them, and those read the files (loadKnowledge).
 */

const FORMAT = 4;

interface JsonRegExp {
  source: string;
  flags: string;
}

/** A compiled fault as JSON: regexes as source and flags, no examples. */
type StoredFault = Omit<Fault, 'signatures' | 'causes' | 'examples' | 'counterexamples'> & {
  signatures: (Omit<CompiledSignature, 'message' | 'context'> & { message: JsonRegExp | null; context: JsonRegExp | null })[];
  causes: (Omit<CompiledCause, 'clues'> & { clues: (Omit<CompiledClue, 're'> & { re: JsonRegExp })[] })[];
};

interface Snapshot {
  format: number;
  /** Path relative to the knowledge folder -> how to recognise the file, and the fault compiled from it. */
  files: Record<string, { size: number; mtimeMs: number; sha256: string; fault: StoredFault }>;
}

const toJson = (re: RegExp): JsonRegExp => ({ source: re.source, flags: re.flags });
const fromJson = (re: JsonRegExp): RegExp => new RegExp(re.source, re.flags);

function storeFault(f: Fault): StoredFault {
  const { examples: _examples, counterexamples: _counterexamples, ...rest } = f;
  return {
    ...rest,
    signatures: f.signatures.map((s) => ({ ...s, message: s.message && toJson(s.message), context: s.context && toJson(s.context) })),
    causes: f.causes.map((c) => ({ ...c, clues: c.clues.map((clue) => ({ ...clue, re: toJson(clue.re) })) })),
  };
}

function restoreFault(f: StoredFault, file: string): Fault {
  return {
    ...f,
    file,
    signatures: f.signatures.map((s) => ({ ...s, message: s.message && fromJson(s.message), context: s.context && fromJson(s.context) })),
    causes: f.causes.map((c) => ({ ...c, clues: c.clues.map((clue) => ({ ...clue, re: fromJson(clue.re) })) })),
    examples: [],
    counterexamples: [],
  };
}

/** Next to the compiled code (`dist/knowledge-snapshot.json`); absent when running the sources. */
export function defaultSnapshotPath(): string {
  return fileURLToPath(new URL('../../knowledge-snapshot.json', import.meta.url));
}

function sha256(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

function readSnapshot(path: string): Snapshot | null {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
    return s.format === FORMAT && s.files && typeof s.files === 'object' ? s : null;
  } catch {
    return null;
  }
}

/** loadKnowledge, served from the snapshot where the files are unchanged. */
export async function loadKnowledgeQuick(root: string = defaultKnowledgeDir(), snapshotPath: string = defaultSnapshotPath()): Promise<Knowledge> {
  const snapshot = readSnapshot(snapshotPath);
  const faults: (Fault | null)[] = [];
  const problems: KnowledgeProblem[] = [];
  const stale: { index: number; file: string; source: string }[] = [];
  for (const file of listFaultFiles(root)) {
    const entry = snapshot?.files[relative(root, file).split('\\').join('/')];
    const id = faultIdFromPath(root, file);
    let source: string | null = null;
    if (entry && id) {
      const st = statSync(file);
      const current = (st.size === entry.size && st.mtimeMs === entry.mtimeMs) || entry.sha256 === sha256((source = readFileSync(file, 'utf8')));
      if (current && entry.fault.id === id) {
        faults.push(restoreFault(entry.fault, relative(dirname(root), file)));
        continue;
      }
    }
    stale.push({ index: faults.length, file, source: source ?? readFileSync(file, 'utf8') });
    faults.push(null);
  }
  if (stale.length > 0 || faults.length === 0) {
    // Only now pay for YAML and zod: a file changed since the build, or there is no snapshot.
    const { parseFaultFile } = await import('./load.js');
    for (const s of stale) {
      const parsed = parseFaultFile(root, s.file, s.source);
      faults[s.index] = parsed.fault;
      problems.push(...parsed.problems);
    }
  }
  const loaded = faults.filter((f): f is Fault => f !== null);
  if (loaded.length === 0 && problems.length === 0) {
    problems.push({ file: relative(process.cwd(), root) || root, field: '', message: 'no fault files found under faults/' });
  }
  return { faults: loaded, problems, root };
}

/**
 * loadEngine for commands that only diagnose or look up (diagnose, search, show, serve): the
 * snapshot where it is current. Faults served from it carry no examples (see above).
 */
export async function loadEngineQuick(knowledgeDir?: string): Promise<LoadedEngine> {
  const knowledge = await loadKnowledgeQuick(knowledgeDir);
  return { engine: createEngine(knowledge.faults), problems: knowledge.problems };
}

/** Writes the snapshot of every valid fault file under `root` (the build step). */
export async function writeKnowledgeSnapshot(root: string = defaultKnowledgeDir(), path: string = defaultSnapshotPath()): Promise<{ files: number; skipped: number }> {
  const { parseFaultFile } = await import('./load.js');
  const snapshot: Snapshot = { format: FORMAT, files: {} };
  let skipped = 0;
  for (const file of listFaultFiles(root)) {
    const source = readFileSync(file, 'utf8');
    const parsed = parseFaultFile(root, file, source);
    if (!parsed.fault) {
      skipped++;
      continue;
    }
    const st = statSync(file);
    snapshot.files[relative(root, file).split('\\').join('/')] = { size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(source), fault: storeFault(parsed.fault) };
  }
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, path);
  return { files: Object.keys(snapshot.files).length, skipped };
}
