#!/usr/bin/env node
/*
 * The `faultline` executable (package.json "bin"). It runs dist/bot/cli/faultline-bundle.cjs,
 * the CLI as one CommonJS file (scripts/bundle-cli.mjs), with V8's code cache from the build
 * (faultline-bundle.cache): Node 20 has no module compile cache, and compiling the functions a
 * diagnosis runs cost a start about 10 ms. The cache is used only when its header holds the
 * SHA-256 of the code it was made from; V8 itself rejects one from another V8 version or flag
 * set, and then the code is compiled as usual. Without a bundle, or when a file it was built
 * from changed since (its first line lists them with size, mtime and SHA-256: a tsc run
 * without the bundle step), the ES module CLI runs.
 */
import crypto = require('node:crypto');
import fs = require('node:fs');
import nodeModule = require('node:module');
import path = require('node:path');
import url = require('node:url');
import vm = require('node:vm');

const CODE = path.join(__dirname, 'faultline-bundle.cjs');
const CACHE = path.join(__dirname, 'faultline-bundle.cache');
const HASH_BYTES = 32;

type BundleFunction = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string, importModule: (specifier: string) => Promise<unknown>) => void;

/** The bundle's `import()` calls, resolved from its own folder by this module's loader. */
function importFromBundle(specifier: string): Promise<unknown> {
  return import(specifier.startsWith('.') ? url.pathToFileURL(path.join(__dirname, specifier)).href : specifier);
}

/** The bundle's code, or null when there is none or a file it was built from has changed. */
function currentBundle(): string | null {
  let source: string;
  try {
    source = fs.readFileSync(CODE, 'utf8');
  } catch {
    return null;
  }
  const firstLine = source.slice(0, source.indexOf('\n'));
  if (!firstLine.startsWith('//faultline-inputs ')) return null;
  try {
    const inputs = JSON.parse(firstLine.slice('//faultline-inputs '.length)) as [string, number, number, string][];
    for (const [file, size, mtimeMs, sha256] of inputs) {
      const at = path.join(__dirname, file);
      const st = fs.statSync(at);
      if (st.size !== size) return null;
      // A copy or a package tarball resets mtimes: then the content decides.
      if (st.mtimeMs !== mtimeMs && crypto.createHash('sha256').update(fs.readFileSync(at)).digest('hex') !== sha256) return null;
    }
  } catch {
    return null;
  }
  return source;
}

/**
 * Compiles and runs the bundle; `writeCache` (the build) saves the code cache when the process
 * exits, so it covers every function the run compiled.
 */
function start(options: { writeCache?: string } = {}): void {
  const source = currentBundle();
  if (source === null) {
    void import('./main.js').then((m: { main(): void }) => m.main());
    return;
  }
  // Parameter names match what the bundle expects (scripts/bundle-cli.mjs writes __faultlineImport).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __faultlineImport) {${source}\n})`;
  const hash = crypto.createHash('sha256').update(wrapped).digest();
  let cachedData: Buffer | undefined;
  if (!options.writeCache) {
    try {
      const cache = fs.readFileSync(CACHE);
      if (cache.subarray(0, HASH_BYTES).equals(hash)) cachedData = cache.subarray(HASH_BYTES);
    } catch {
      // No cache: compiled as usual.
    }
  }
  const script = new vm.Script(wrapped, { filename: CODE, ...(cachedData ? { cachedData } : {}) });
  if (options.writeCache) {
    const target = options.writeCache;
    process.once('exit', () => fs.writeFileSync(target, Buffer.concat([hash, script.createCachedData()])));
  }
  const fn = script.runInThisContext() as BundleFunction;
  const module = { exports: {} };
  fn.call(module.exports, module.exports, nodeModule.createRequire(CODE), module, CODE, __dirname, importFromBundle);
}

if (require.main === module) start();

export = { start };
