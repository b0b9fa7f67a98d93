// `npm run build`, after tsc: dist/bot/cli/faultline-bundle.cjs and its V8 code cache, which
// dist/bot/cli/faultline.cjs (the `faultline` executable, bot/cli/faultline.cts) runs.
//
// Why: on Node 20 (no module compile cache) loading the ~30 ES modules `faultline diagnose` needs
// cost a start about 20 ms of CPU: resolution and an asynchronous read per file, and each
// `import ... from 'node:fs'` builds the builtin's ESM facade, which loads fs streams. One
// CommonJS file loads synchronously with plain require()s.
//
// What is in it: cli/main.js, everything it imports statically, and the diagnose command.
// Every other dynamic import (the other commands, the LLM fallback, --record, the YAML loader
// for a changed fault file) stays a separate ES module from tsc's output, loaded as before.
// Packages stay in node_modules (required at run time), so the production install needs
// nothing from esbuild.
//
// The bundle runs as a vm.Script (for the code cache), where Node 20 allows `import()` only
// behind an experimental flag: its import() calls go through __faultlineImport, which the
// executable passes in.
//
// Each bundled module keeps its own `import.meta.url` (its file in dist/), so paths computed
// from it (the snapshots, the package root, createRequire) and the entry-point checks mean what
// they meant.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliDir = join(root, 'dist', 'bot', 'cli');
const outfile = join(cliDir, 'faultline-bundle.cjs');
const cacheFile = join(cliDir, 'faultline-bundle.cache');
const sample = join(root, 'knowledge', 'samples', 'missing-greenlet-pytest.txt');
const bundled = new Set([join(cliDir, 'commands', 'diagnose.js')]);
const fromOut = (file) => {
  const rel = relative(cliDir, file).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
};

const keepModuleUrls = {
  name: 'faultline-module-urls',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const file = join(args.resolveDir, args.path);
      return bundled.has(file) ? undefined : { path: fromOut(file), external: true };
    });
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace(/\bimport\.meta\.url\b/g, `__faultlineModuleUrl(${JSON.stringify(fromOut(args.path))})`);
      if (/\bimport\.meta\b/.test(contents)) throw new Error(`${args.path}: import.meta other than import.meta.url cannot be bundled`);
      return { contents, loader: 'js' };
    });
  },
};

const result = await build({
  stdin: { contents: "import { main } from './main.js';\nmain();\n", resolveDir: cliDir, sourcefile: 'faultline-entry.js', loader: 'js' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outfile,
  write: false,
  banner: {
    js: [
      '// Built by bot/build/bundle-cli.mjs from dist/bot/; run by dist/bot/cli/faultline.cjs. Do not edit.',
      "const __faultlineModuleUrl = (file) => require('node:url').pathToFileURL(require('node:path').join(__dirname, file)).href;",
    ].join('\n'),
  },
  plugins: [keepModuleUrls],
  logLevel: 'warning',
  metafile: true,
});
const code = result.outputFiles[0].text;
// esbuild writes every kept dynamic import as import("<literal>"); anything else is a surprise.
const calls = code.match(/\bimport\(/g)?.length ?? 0;
const rewritten = code.replace(/\bimport\(("[^"\n]{1,200}")\)/g, '__faultlineImport($1)');
if (/\bimport\(/.test(rewritten)) throw new Error(`faultline-bundle.cjs: ${calls} import() calls, not all with a literal path`);
// faultline.cjs passes __faultlineImport to the wrapped bundle. Run on its own (`node
// dist/bot/cli/faultline-bundle.cjs ...`), the bundle is a plain CommonJS module without it:
// then its imports resolve from its own folder here. Inside the wrapper, `var` names the
// parameter itself, which keeps its value.
const prologue = 'var __faultlineImport = typeof __faultlineImport === "function" ? __faultlineImport : (s) => import(s.startsWith(".") ? require("node:url").pathToFileURL(require("node:path").join(__dirname, s)).href : s);\n';
// Every character outside ASCII as a \u escape (esbuild leaves them in regex literals and
// comments): one such character makes V8 decode the whole file as UTF-8 and keep it as a
// two-byte string, which costs every start the decoding and twice the memory.
const source = (prologue + rewritten).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
// First line: the files it was built from, with size, mtime and SHA-256; the executable runs
// the ES modules instead when one of them changed since (a tsc run without this step). The
// hash is read only when the mtime differs (a copy or a package tarball resets mtimes).
const inputs = Object.keys(result.metafile.inputs)
  .filter((f) => f.startsWith('dist/') && !f.endsWith('/faultline-entry.js'))
  .map((f) => {
    const st = statSync(join(root, f));
    return [fromOut(join(root, f)), st.size, st.mtimeMs, createHash('sha256').update(readFileSync(join(root, f))).digest('hex')];
  });
// `id` (the SHA-256 of the code) keys the code cache, so a start need not hash 300 KB (nor load
// node:crypto) to know the cache is this code's.
const id = createHash('sha256').update(source).digest('hex');
writeFileSync(outfile, `//faultline-bundle ${JSON.stringify({ id, inputs })}\n${source}`);

// The code cache, from a real run (it holds the functions the run compiled).
rmSync(cacheFile, { force: true });
const run = spawnSync(process.execPath, ['-e', `process.argv.splice(1, Infinity, ${JSON.stringify(join(cliDir, 'faultline.cjs'))}, 'diagnose', ${JSON.stringify(sample)}); require(${JSON.stringify(join(cliDir, 'faultline.cjs'))}).start({ writeCache: ${JSON.stringify(cacheFile)} });`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FAULTLINE_LANG: 'en' } });
if (run.status !== 0 || !run.stdout.includes('[sqlalchemy.missing-greenlet]')) throw new Error(`the bundled CLI did not diagnose the sample (exit ${run.status}): ${run.stderr}`);
const kb = (file) => Math.round(statSync(file).size / 1024);
process.stdout.write(`cli bundle: ${inputs.length} modules -> ${relative(root, outfile)} (${kb(outfile)} KB, code cache ${kb(cacheFile)} KB)\n`);
