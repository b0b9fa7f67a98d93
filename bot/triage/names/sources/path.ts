import { isPlumbingFrame, stripBrackets } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// The standard library (`/usr/lib/python3.8/threading.py`) and the packaging shims around an installed app.
const STDLIB = /[\\/]lib[\\/]python\d(?:\.\d{1,2})?[\\/](?!site-packages|dist-packages)|^<|[\\/](?:site|dist)-packages[\\/](?:[^\\/]{1,100}\.egg[\\/])?(?:six|decorator|wrapt|lagom|gevent|eventlet|socketio|engineio|flask_socketio|flask_login|flask_restplus|paste|webob|raven|sentry_sdk|ddtrace|newrelic|opentelemetry|click|typer|minicli|mode|faust|grpc|tenacity|backoff|retrying|mock|unittest|debugpy|pydevd)[\\/]|[\\/]bin[\\/][^\\/]{1,100}$/;

// Django's debug page names the view that raised on a row of its own, `Raised during: dashboard.views.gettinglocations`
// (the label lost when the page's table is pasted flattened): a dotted path through a `views` module.
const DJANGO_VIEW = /^\s{0,8}(?:Raised during:[\s|]{0,8})?[a-z_]\w{0,60}(?:\.[a-z_]\w{0,60}){0,6}\.views\.([a-z_]\w{0,100})\s{0,4}$/;

// Test runners name the test that failed on lines of their own, often with no user frame below them
// (the failing statement is a library's): pytest's short summary `FAILED tests/test_app.py::TestX::test_y - Exc: ...`
// or `ERROR tests/x.py::test_y`, its section header `____ TestX.test_y ____` (`ERROR at setup of test_y`),
// unittest's and Django's `ERROR: test_y (app.tests.TestX)` / `FAIL: test_y (app.tests.TestX.test_y)`.
const PYTEST_SUMMARY_TEST = /^\s{0,4}(?:FAILED|ERROR|XPASS|XFAIL) ([^\s:]{1,300}\.py)(?:::\w{1,120}){0,3}::(\w{1,120})(?:\[[^\]\n]{0,200}\])?(?: - |\s*$)/;
const PYTEST_SECTION_TEST = /^_{3,} (?:(?:ERROR|FAILURE) at (?:setup|teardown|call) of )?(?:\w{1,120}[.:]{1,2}){0,3}(test\w{0,120})(?:\[[^\]\n]{0,200}\])? _{3,}\s*$/;
// The normaliser reads `ERROR: ` as a log level and drops it: the header is then known by unittest's rule of dashes below it.
const UNITTEST_HEADER = /^\s{0,4}(?:(?:ERROR|FAIL): )?(\w{1,120}) \((?:\w{1,120}\.){0,12}\w{1,120}\)\s*$/;
// unittest's verbose run: `test_add_user (test_users.TestUserService) ... ERROR`, the test's docstring between the two
// when it has one (`test_add_user (test_users.TestUserService)` / `Ensure a new user can be added. ... ERROR`).
const UNITTEST_RESULT = /^\s{0,4}(\w{1,120}) \((?:\w{1,120}\.){0,12}\w{1,120}\)(?: \.{3} (ERROR|FAIL))?\s*$/;
const RESULT_TAIL = /\.{3} (?:ERROR|FAIL)\s*$/;
// pytest's node id on a line of its own: a verbose run's `tests/test_x.py::TestX::test_y FAILED  [ 50%]` (`PASSED` for
// the others), and the warnings summary, which heads each warning with the test that raised it (`tests/test_asyncio.py::test_time`,
// the warning indented below it).
const PYTEST_NODE_LINE = /^\s{0,4}[^\s:]{1,300}\.py(?:::\w{1,120}){0,3}::(\w{1,120})(?:\[[^\]\n]{0,200}\])?(?: {1,8}(PASSED|FAILED|ERROR|XFAIL|XPASS|SKIPPED))?(?: {1,40}\[ {0,3}\d{1,3}%\])?\s*$/;
// Celery logs the task it ran by its dotted name: `Task app.tasks.process[1f9c...] raised unexpected: ...`
// (`raised exception:` before Celery 3).
const CELERY_TASK = /\bTask (?:[\w]{1,100}\.){0,12}(\w{1,100})\[[0-9a-f-]{8,40}\] (?:raised unexpected|raised exception|retry|succeeded)/;

// A Celery task named by its dotted path through a `tasks` module, in a title or a worker's line (`squad.core.tasks.notification.
// notification_timeout raises IntegrityError`, `Received task: health_check.contrib.celery.tasks.add[6ffc...]`): the task's
// function, read when no frame names one. Not an import (`from app.tasks.mail import x` names a module), not a call
// on the task (`app.tasks.send.delay(`), not a file path.
const DOTTED_TASK = /(?<![\w./\\])(?<!\b(?:from|import) )(?:[a-z_]\w{0,60}\.){1,8}\w{0,40}tasks(?:\.[a-z_]\w{0,60}){0,3}\.([a-z_]\w{0,100})(?![\w.(])/;

function dottedTaskName(ctx: NameContext): { func: string; evidence: string } | null {
  if (!ctx.text.includes('tasks.')) return null;
  const m = DOTTED_TASK.exec(ctx.text);
  return m?.[1] && !/^(?:py|pyc|delay|apply_async|apply|run|s|si|signature|map)$/.test(m[1]) ? { func: m[1], evidence: m[0] } : null;
}

// A frame that only hands its call on: a decorator's `wrapper` calling the function it wraps (`return f(self, *args, **kwargs)`),
// and the decorated proxy method below it calling the same method of the object it wraps (Odoo's cursor in `sql_db.py`:
// `wrapper` / `def execute(...)`: `res = self._obj.execute(query, params)`). The function that made the call is the frame above
// them. A same-named delegate called straight from the user's code (a repository's `def get(self, id): return
// self._session.get(User, id)`) is the user's function, and stays so.
const DECORATOR_WRAPPER = /^(?:wrapper|wrapped|inner|_wrapper|wrapped_f|decorated)$/;
const WRAPPER_CALL = /^return \w{1,40}\((?:self, )?\*args, \*\*kw(?:args)?\)$/;

function isDecoratorWrapper(f: { func: string; code: string } | undefined): boolean {
  return !!f && DECORATOR_WRAPPER.test(f.func.trim()) && WRAPPER_CALL.test(f.code.trim());
}

function isPassThrough(f: { func: string; code: string }, outer: { func: string; code: string } | undefined): boolean {
  const func = f.func.trim();
  const code = f.code.trim();
  if (!code || !func) return false;
  if (isDecoratorWrapper(f)) return true;
  return isDecoratorWrapper(outer) && new RegExp(`^(?:\\w{1,40} = |return )?(?:await )?self\\._\\w{1,40}\\.${func}\\(`).test(code);
}

/** The test a runner names as failed, and the file when the runner shows it. */
function testRunnerName(raw: readonly string[]): { func: string; file: string | null; evidence: string } | null {
  // A build log's `[  124s] ` in front of every line of the run.
  const lines = raw.some((l) => l.startsWith('[')) ? raw.map((l) => (l.startsWith('[') ? stripBrackets(l) : l)) : raw;
  // Below the runner's own failure headers: a test a verbose run marks failed, then one the warnings summary names.
  let weaker: { func: string; file: string | null; evidence: string } | null = null;
  let warned: { func: string; file: string | null; evidence: string } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('___')) {
      const m = PYTEST_SECTION_TEST.exec(line);
      if (m?.[1]) return { func: m[1], file: null, evidence: line.replace(/_{3,}/g, '').trim() };
      continue;
    }
    const head = line.trimStart().slice(0, 6);
    if (head.startsWith('ERROR') || head.startsWith('FAIL') || head.startsWith('XPASS') || head.startsWith('XFAIL')) {
      const s = line.includes('::') ? PYTEST_SUMMARY_TEST.exec(line) : null;
      if (s?.[2]) return { func: s[2], file: s[1]?.split(/[\\/]/).pop() ?? null, evidence: line.trim().slice(0, 160) };
      const u = line.includes(': ') ? UNITTEST_HEADER.exec(line) : null;
      if (u?.[1]) return { func: u[1], file: null, evidence: line.trim() };
    } else if (line.endsWith(')')) {
      // unittest's failure header: a rule of `=` above it, a rule of `-` below it (after the test's docstring, when it has one).
      const ruled = /^={20,}\s*$/.test(lines[i - 1] ?? '') || /^-{20,}\s*$/.test(lines[i + 1] ?? '') || (/^-{20,}\s*$/.test(lines[i + 2] ?? '') && /\S/.test(lines[i + 1] ?? ''));
      const u = ruled ? UNITTEST_HEADER.exec(line) : null;
      if (u?.[1]) return { func: u[1], file: null, evidence: line.trim() };
    }
    if (weaker && warned) continue;
    if (line.includes('.py::')) {
      const n = PYTEST_NODE_LINE.exec(line);
      if (n?.[1] && (n[2] === 'FAILED' || n[2] === 'ERROR')) weaker ??= { func: n[1], file: line.trim().split('::')[0]?.split(/[\\/]/).pop() ?? null, evidence: line.trim().slice(0, 160) };
      else if (n?.[1] && !n[2] && /^\s{2,}\S/.test((lines[i + 1] ?? '').trim() ? lines[i + 1] ?? '' : lines[i + 2] ?? '')) warned ??= { func: n[1], file: line.trim().split('::')[0]?.split(/[\\/]/).pop() ?? null, evidence: line.trim().slice(0, 160) };
    } else if (!weaker && line.includes(' (')) {
      const r = UNITTEST_RESULT.exec(line);
      if (r?.[1] && (r[2] || RESULT_TAIL.test(lines[i + 1] ?? ''))) weaker = { func: r[1], file: null, evidence: line.trim().slice(0, 160) };
    }
  }
  return weaker ?? warned;
}

/** The user's own frames: the function that failed and its file. */
export const pathSource: NameSource = {
  id: 'path',
  describe: "the user's own file paths and function names (the innermost frame outside libraries and frameworks)",
  find(ctx: NameContext, out: NameFinding[]): void {
    // The user's own frames first; when every frame is installed (an app deployed into site-packages,
    // an egg, a Docker image's venv), the innermost frame that is neither a known framework nor the
    // standard library is the app's own code: `.../site-packages/keep/api/core/db.py, in is_all_alerts_in_status`.
    for (const installed of [false, true]) {
      // No frame of the user's own: the test a runner says failed is their code, surer than a guess among
      // installed frames.
      if (installed) {
        const lines = ctx.parsed.lines.length > 600 ? [...ctx.parsed.lines.slice(0, 300), ...ctx.parsed.lines.slice(-300)] : ctx.parsed.lines;
        const test = testRunnerName(lines);
        if (test) {
          out.push({ role: 'function', value: test.func, source: 'path', confidence: 0.75, evidence: test.evidence });
          if (test.file) out.push({ role: 'file', value: test.file, source: 'path', confidence: 0.75, evidence: test.evidence });
          return;
        }
        const task = ctx.text.includes('Task ') ? CELERY_TASK.exec(ctx.text) : null;
        if (task?.[1]) {
          out.push({ role: 'function', value: task[1], source: 'path', confidence: 0.72, evidence: task[0] });
          return;
        }
      }
      for (const record of ctx.ordered) {
        // A session typed at a prompt (`<ipython-input-2-..> in <module>`, a Jupyter cell's `/tmp/ipykernel_14959/2215116563.py`)
        // is the user's code: the installed frames below it are the libraries it called (tortoise's `execute_select`), not an
        // app deployed as a package.
        if (installed && record.frames.some((f) => /^<(?:ipython-input-|stdin>|console>)|[\\/]ipykernel_\d{1,10}[\\/]/.test(f.file))) continue;
        // Nor is an installed frame the app's when the user's own file is in the trace, only at module level
        // (`/app/worker.py, in <module>` calling `redis/client.py, in get`): the installed frames are the library it called.
        if (installed && record.frames.some((f) => !f.library && !/^<|\.pyx$/.test(f.file) && !isPlumbingFrame(f, record.frames))) continue;
        let handedOn: { func: string; file: string; evidence: string } | null = null;
        for (let i = record.frames.length - 1; i >= 0; i--) {
          const f = record.frames[i];
          // An IPython cell or the interactive prompt is the user's own code; `<string>`, `<frozen ...>` are not.
          if (!f) continue;
          const prompt = f.file.startsWith('<') && /^<(?:ipython-input-|stdin>|console>)/.test(f.file);
          // Cheap checks first: most frames of a long trace are the libraries'.
          if (f.library && !prompt && (!installed || STDLIB.test(f.file))) continue;
          if ((/^<|\.pyx$/.test(f.file) && !prompt) || isPlumbingFrame(f, record.frames)) continue;
          const func = f.func.trim();
          const file = f.file.split(/[\\/]/).pop() ?? '';
          if (!func || func === '<module>' || !/^\w{1,100}$/.test(func)) continue;
          const c = installed ? 0.7 : 0.9;
          if (isPassThrough(f, record.frames[i - 1])) { handedOn ??= { func, file, evidence: f.file }; continue; }
          out.push({ role: 'function', value: func, source: 'path', confidence: c, evidence: `${file}, in ${func}` });
          if (/\.py$/.test(file)) out.push({ role: 'file', value: file, source: 'path', confidence: c, evidence: f.file });
          return;
        }
        // Only pass-through frames: the innermost of them is still the code that ran.
        if (handedOn) {
          const c = installed ? 0.7 : 0.9;
          out.push({ role: 'function', value: handedOn.func, source: 'path', confidence: c, evidence: `${handedOn.file}, in ${handedOn.func}` });
          if (/\.py$/.test(handedOn.file)) out.push({ role: 'file', value: handedOn.file, source: 'path', confidence: c, evidence: handedOn.evidence });
          return;
        }
      }
    }
    if (ctx.text.includes('.views.')) {
      for (const line of ctx.parsed.lines) {
        const view = line.includes('.views.') ? DJANGO_VIEW.exec(line) : null;
        if (view?.[1]) { out.push({ role: 'function', value: view[1], source: 'path', confidence: 0.75, evidence: line.trim() }); return; }
      }
    }
    const task = dottedTaskName(ctx);
    if (task) out.push({ role: 'function', value: task.func, source: 'path', confidence: 0.65, evidence: task.evidence });
  },
  examples: [
    { source: 'https://github.com/3dem/emhub/pull/126', input: 'Traceback (most recent call last):\n  File "/mnt/cryoemgfs/data/software/emhub/emhub/data/data_models.py", line 1099, in json\n    json[\'owner_id\'] = self.owner_id or \'None\'\n  File "/mnt/cryoemgfs/data/software/emhub/emhub/data/data_models.py", line 1034, in owner_id\n    return self.booking.owner_id if self.booking else None\n  File "/software/miniforge3_envs/emhub/lib/python3.8/site-packages/sqlalchemy/orm/attributes.py", line 565, in __get__\n    return self.impl.get(state, dict_)  # type: ignore[no-any-return]\n  File "/software/miniforge3_envs/emhub/lib/python3.8/site-packages/sqlalchemy/orm/strategies.py", line 917, in _load_for_state\n    raise orm_exc.DetachedInstanceError(', expect: { function: 'owner_id' } },
  ],
};
