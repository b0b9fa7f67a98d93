#!/usr/bin/env node
/*
 * The `faultline` executable (package.json "bin"). It runs dist/bot/cli/faultline-bundle.cjs,
 * the CLI as one CommonJS file (bot/build/bundle-cli.mjs), with V8's code cache from the build
 * (faultline-bundle.cache): Node 20 has no module compile cache, and compiling the functions a
 * diagnosis runs cost a start about 10 ms. The cache is used only when its header holds the
 * SHA-256 of the code it was made from; V8 itself rejects one from another V8 version or flag
 * set, and then the code is compiled as usual. Without a bundle, or when a file it was built
 * from changed since (its first line lists them with size, mtime and SHA-256: a tsc run
 * without the bundle step), the ES module CLI runs.
 */
import fs = require('node:fs');
import nodeModule = require('node:module');
import path = require('node:path');
import url = require('node:url');
import vm = require('node:vm');

const CODE = path.join(__dirname, 'faultline-bundle.cjs');
const CACHE = path.join(__dirname, 'faultline-bundle.cache');
const ID_BYTES = 32;
const MARK = '//faultline-bundle ';

/** node:crypto, only when a file's mtime changed (a copy): loading it costs every start 3-5 ms. */
const sha256 = (data: Buffer): string => (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(data).digest('hex');

type BundleFunction = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string, importModule: (specifier: string) => Promise<unknown>) => void;

/** The bundle's `import()` calls, resolved from its own folder by this module's loader. */
function importFromBundle(specifier: string): Promise<unknown> {
  return import(specifier.startsWith('.') ? url.pathToFileURL(path.join(__dirname, specifier)).href : specifier);
}

/**
 * The bundle's code and id (the SHA-256 of the code, written by the build), or null when there
 * is none or a file it was built from has changed.
 */
function currentBundle(): { source: string; id: string } | null {
  let source: string;
  try {
    source = fs.readFileSync(CODE, 'utf8');
  } catch {
    return null;
  }
  const firstLine = source.slice(0, source.indexOf('\n'));
  if (!firstLine.startsWith(MARK)) return null;
  try {
    const { id, inputs } = JSON.parse(firstLine.slice(MARK.length)) as { id: string; inputs: [string, number, number, string][] };
    for (const [file, size, mtimeMs, hash] of inputs) {
      const at = path.join(__dirname, file);
      const st = fs.statSync(at);
      if (st.size !== size) return null;
      // A copy or a package tarball resets mtimes: then the content decides.
      if (st.mtimeMs !== mtimeMs && sha256(fs.readFileSync(at)) !== hash) return null;
    }
    return /^[0-9a-f]{64}$/.test(id) ? { source, id } : null;
  } catch {
    return null;
  }
}

/**
 * Compiles and runs the bundle; `writeCache` (the build) saves the code cache when the process
 * exits, so it covers every function the run compiled.
 */
function start(options: { writeCache?: string } = {}): void {
  const bundle = currentBundle();
  if (bundle === null) {
    void import('./main.js').then((m: { main(): void }) => m.main());
    return;
  }
  // Parameter names match what the bundle expects (bot/build/bundle-cli.mjs writes __faultlineImport).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __faultlineImport) {${bundle.source}\n})`;
  // The cache starts with the id of the code it was made from. V8 also rejects a cache made by
  // another V8 version or flag set, or for a source of another length.
  const id = Buffer.from(bundle.id, 'hex');
  let cachedData: Buffer | undefined;
  if (!options.writeCache) {
    try {
      const cache = fs.readFileSync(CACHE);
      if (cache.subarray(0, ID_BYTES).equals(id)) cachedData = cache.subarray(ID_BYTES);
    } catch {
      // No cache: compiled as usual.
    }
  }
  const script = new vm.Script(wrapped, { filename: CODE, ...(cachedData ? { cachedData } : {}) });
  if (options.writeCache) {
    const target = options.writeCache;
    process.once('exit', () => fs.writeFileSync(target, Buffer.concat([id, script.createCachedData()])));
  }
  const fn = script.runInThisContext() as BundleFunction;
  const module = { exports: {} };
  fn.call(module.exports, module.exports, nodeModule.createRequire(CODE), module, CODE, __dirname, importFromBundle);
}

if (require.main === module) start();

export = { start };
