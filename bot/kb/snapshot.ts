import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../triage/diagnose.js';
import { sha256Hex } from './sha256.js';
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
 *
 * Of what is left (about 1 MB), matching needs only a tenth: ids, titles, signatures, codes and
 * phrases. Parsing the rest (fixes, causes, lab runs) cost a CLI start ~18 ms of parsing and
 * garbage collection for the one fault that matched. So the file is still one JSON document,
 * but `files` (what matching needs) comes first at a byte range the header gives, and each
 * fault's details sit further on at a byte range its entry gives: a start parses `files` only,
 * and a fault parses its details the first time one of them is read.
 */

const FORMAT = 4;

interface JsonRegExp {
  source: string;
  flags: string;
}

/** Read only once a fault is shown, searched or checked, not to match. */
const DETAIL_KEYS = ['stack', 'summary', 'fixOnce', 'causes', 'fixes', 'placeholders', 'lab', 'regexSources'] as const;
type DetailKey = (typeof DETAIL_KEYS)[number];

/** A compiled fault as JSON: regexes as source and flags, no examples, no details. */
type StoredFault = Omit<Fault, 'file' | 'signatures' | 'sqlstateUnless' | 'examples' | 'counterexamples' | DetailKey> & {
  signatures: (Omit<CompiledSignature, 'message' | 'context' | 'contextUnless'> & { message: JsonRegExp | null; context: JsonRegExp | null; contextUnless: JsonRegExp | null })[];
  sqlstateUnless: JsonRegExp[];
};

type StoredDetails = Omit<Pick<Fault, DetailKey>, 'causes'> & {
  causes: (Omit<CompiledCause, 'clues'> & { clues: (Omit<CompiledClue, 're'> & { re: JsonRegExp })[] })[];
};

interface SnapshotEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
  fault: StoredFault;
  /** Byte range of this fault's StoredDetails in the snapshot file. */
  details: [number, number];
}

/** Path relative to the knowledge folder -> how to recognise the file, and the fault compiled from it. */
type SnapshotFiles = Record<string, SnapshotEntry>;

const toJson = (re: RegExp): JsonRegExp => ({ source: re.source, flags: re.flags });
const fromJson = (re: JsonRegExp): RegExp => new RegExp(re.source, re.flags);

function storeFault(f: Fault): { fault: StoredFault; details: StoredDetails } {
  const { examples: _examples, counterexamples: _counterexamples, file: _file, stack, summary, fixOnce, causes, fixes, placeholders, lab, regexSources, ...rest } = f;
  return {
    fault: { ...rest, signatures: f.signatures.map((s) => ({ ...s, message: s.message && toJson(s.message), context: s.context && toJson(s.context), contextUnless: s.contextUnless && toJson(s.contextUnless) })), sqlstateUnless: f.sqlstateUnless.map(toJson) },
    details: {
      stack,
      summary,
      fixOnce,
      causes: causes.map((c) => ({ ...c, clues: c.clues.map((clue) => ({ ...clue, re: toJson(clue.re) })) })),
      fixes,
      placeholders,
      lab,
      regexSources,
    },
  };
}

function restoreDetails(d: StoredDetails): Pick<Fault, DetailKey> {
  return { ...d, causes: d.causes.map((c) => ({ ...c, clues: c.clues.map((clue) => ({ ...clue, re: fromJson(clue.re) })) })) };
}

/**
 * A signature whose regexes are built on first use: matching tries only the signatures its index
 * picks for a record, and building all of the catalogue's (about 1,000) cost every start ~3 ms.
 */
function restoreSignature(s: StoredFault['signatures'][number]): CompiledSignature {
  const sig = { ...s } as unknown as CompiledSignature;
  for (const key of ['message', 'context', 'contextUnless'] as const) {
    const json = s[key];
    if (!json) continue;
    let re: RegExp | undefined;
    Object.defineProperty(sig, key, {
      enumerable: true,
      configurable: true,
      get: () => (re ??= fromJson(json)),
      set: (value: RegExp | null) => Object.defineProperty(sig, key, { value, writable: true, enumerable: true, configurable: true }),
    });
  }
  return sig;
}

/**
 * The fault with its details behind getters: the first read of any of them parses them all from
 * the snapshot bytes read at start-up (kept, so a rebuild meanwhile cannot mix two snapshots)
 * and turns the getters into plain properties. Writing one also works, as on any object.
 */
function restoreFault(f: StoredFault, file: string, read: (start: number, end: number) => string, [start, end]: [number, number]): Fault {
  const fault = {
    ...f,
    file,
    signatures: f.signatures.map(restoreSignature),
    sqlstateUnless: f.sqlstateUnless.map(fromJson),
    examples: [],
    counterexamples: [],
  } as unknown as Fault;
  const settle = (values: Partial<Pick<Fault, DetailKey>>): void => {
    for (const key of DETAIL_KEYS) {
      if (key in values) Object.defineProperty(fault, key, { value: values[key], writable: true, enumerable: true, configurable: true });
    }
  };
  const load = (): void => settle(restoreDetails(JSON.parse(read(start, end)) as StoredDetails));
  for (const key of DETAIL_KEYS) {
    Object.defineProperty(fault, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        load();
        return fault[key];
      },
      set: (value: unknown) => {
        load();
        settle({ [key]: value });
      },
    });
  }
  return fault;
}

/** Next to the compiled code (`dist/knowledge-snapshot.json`); absent when running the sources. */
export function defaultSnapshotPath(): string {
  return fileURLToPath(new URL('../../knowledge-snapshot.json', import.meta.url));
}

/** The header names the byte range of `files`, in fixed-width numbers so it can be written first. */
const header = (files: [number, number]): string => `{"format":${FORMAT},"filesAt":[${String(files[0]).padStart(12)},${String(files[1]).padStart(12)}],"files":`;
const HEADER = /^\{"format":(\d+),"filesAt":\[ *(\d+), *(\d+)\],"files":/;

function readSnapshot(path: string): { files: SnapshotFiles; read: (start: number, end: number) => string } | null {
  try {
    // The whole file, kept: a rebuild meanwhile cannot mix two snapshots, and no descriptor
    // stays open (a restarted diagnosis worker would leak one each time).
    const bytes = readFileSync(path);
    const m = HEADER.exec(bytes.toString('latin1', 0, 80));
    if (!m || Number(m[1]) !== FORMAT) return null;
    const files = JSON.parse(bytes.toString('utf8', Number(m[2]), Number(m[3]))) as SnapshotFiles;
    return files && typeof files === 'object' ? { files, read: (start, end) => bytes.toString('utf8', start, end) } : null;
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
  const rootPrefix = root.endsWith(sep) ? root : root + sep;
  const parentPrefix = dirname(root) === root ? rootPrefix : dirname(root) + sep;
  // listFaultFiles returns paths under root: slicing them avoids a path.relative per fault per start.
  const under = (base: string, prefix: string, file: string): string => (file.startsWith(prefix) ? file.slice(prefix.length) : relative(base, file));
  for (const file of listFaultFiles(root)) {
    const key = under(root, rootPrefix, file).split('\\').join('/');
    const entry = snapshot?.files[key];
    // faults/<library>/<name>.yaml, as faultIdFromPath reads it (without a path.join per file).
    const parts = key.split('/');
    const id = parts.length === 3 && parts[0] === 'faults' ? `${parts[1]}.${(parts[2] as string).replace(/\.ya?ml$/, '')}` : faultIdFromPath(root, file);
    let source: string | null = null;
    if (entry && id) {
      const st = statSync(file);
      const current = (st.size === entry.size && st.mtimeMs === entry.mtimeMs) || entry.sha256 === sha256Hex((source = readFileSync(file, 'utf8')));
      if (current && entry.fault.id === id) {
        faults.push(restoreFault(entry.fault, under(dirname(root), parentPrefix, file), (snapshot as { read: (start: number, end: number) => string }).read, entry.details));
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
export async function writeKnowledgeSnapshot(root: string = defaultKnowledgeDir(), path: string = defaultSnapshotPath()): Promise<{ files: number; skipped: number; faults: Fault[] }> {
  const { parseFaultFile } = await import('./load.js');
  const entries: [string, Omit<SnapshotEntry, 'details'>, string][] = [];
  const faults: Fault[] = [];
  let skipped = 0;
  for (const file of listFaultFiles(root)) {
    const source = readFileSync(file, 'utf8');
    const parsed = parseFaultFile(root, file, source);
    if (!parsed.fault) {
      skipped++;
      continue;
    }
    faults.push(parsed.fault);
    const st = statSync(file);
    const { fault, details } = storeFault(parsed.fault);
    entries.push([relative(root, file).split('\\').join('/'), { size: st.size, mtimeMs: st.mtimeMs, sha256: sha256Hex(source), fault }, JSON.stringify(details)]);
  }
  // {"format":4,"filesAt":[a,b],"files":{...},"details":[{...},...]}: `files` holds the byte
  // range of each details object, which depends on the length of `files` itself: laid out again
  // until the ranges stop moving (twice or three times; a range only grows by a digit).
  const detailsLength = entries.map(([, , d]) => Buffer.byteLength(d));
  const files: SnapshotFiles = {};
  const headLength = Buffer.byteLength(header([0, 0]));
  let filesJson = '';
  for (let pass = 0; pass < 10; pass++) {
    let at = headLength + Buffer.byteLength(filesJson) + Buffer.byteLength(',"details":[');
    entries.forEach(([key, entry], i) => {
      const length = detailsLength[i] as number;
      files[key] = { ...entry, details: [at, at + length] };
      at += length + 1;
    });
    const next = JSON.stringify(files);
    if (next === filesJson) break;
    filesJson = next;
  }
  const head = header([headLength, headLength + Buffer.byteLength(filesJson)]);
  const text = `${head}${filesJson},"details":[${entries.map(([, , d]) => d).join(',')}]}`;
  const bytes = Buffer.from(text);
  entries.forEach(([key, , d]) => {
    const [start, end] = (files[key] as SnapshotEntry).details;
    if (bytes.toString('utf8', start, end) !== d) throw new Error(`knowledge snapshot: the byte range of ${key} did not settle`);
  });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  return { files: entries.length, skipped, faults };
}
