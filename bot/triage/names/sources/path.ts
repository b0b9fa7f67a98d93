import { isPlumbingFrame } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// The standard library (`/usr/lib/python3.8/threading.py`) and the packaging shims around an installed app.
const STDLIB = /[\\/]lib[\\/]python\d(?:\.\d{1,2})?[\\/](?!site-packages|dist-packages)|^<|[\\/](?:site|dist)-packages[\\/](?:[^\\/]{1,100}\.egg[\\/])?(?:six|decorator|wrapt|lagom|gevent|eventlet|socketio|engineio|flask_socketio|flask_login|flask_restplus|paste|webob|raven|sentry_sdk|ddtrace|newrelic|opentelemetry|click|typer|minicli|mode|faust|grpc|tenacity|backoff|retrying|mock|unittest|debugpy|pydevd)[\\/]|[\\/]bin[\\/][^\\/]{1,100}$/;

// Django's debug page names the view that raised on a row of its own, `Raised during: dashboard.views.gettinglocations`
// (the label lost when the page's table is pasted flattened): a dotted path through a `views` module.
const DJANGO_VIEW = /^\s{0,8}(?:Raised during:[\s|]{0,8})?[a-z_]\w{0,60}(?:\.[a-z_]\w{0,60}){0,6}\.views\.([a-z_]\w{0,100})\s{0,4}$/;

/** The user's own frames: the function that failed and its file. */
export const pathSource: NameSource = {
  id: 'path',
  describe: "the user's own file paths and function names (the innermost frame outside libraries and frameworks)",
  find(ctx: NameContext, out: NameFinding[]): void {
    // The user's own frames first; when every frame is installed (an app deployed into site-packages,
    // an egg, a Docker image's venv), the innermost frame that is neither a known framework nor the
    // standard library is the app's own code: `.../site-packages/keep/api/core/db.py, in is_all_alerts_in_status`.
    for (const installed of [false, true]) {
      for (const record of ctx.ordered) {
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
          out.push({ role: 'function', value: func, source: 'path', confidence: c, evidence: `${file}, in ${func}` });
          if (/\.py$/.test(file)) out.push({ role: 'file', value: file, source: 'path', confidence: c, evidence: f.file });
          return;
        }
      }
    }
    if (!ctx.text.includes('.views.')) return;
    for (const line of ctx.parsed.lines) {
      const view = line.includes('.views.') ? DJANGO_VIEW.exec(line) : null;
      if (view?.[1]) { out.push({ role: 'function', value: view[1], source: 'path', confidence: 0.75, evidence: line.trim() }); return; }
    }
  },
  examples: [
    { source: 'https://github.com/3dem/emhub/pull/126', input: 'Traceback (most recent call last):\n  File "/mnt/cryoemgfs/data/software/emhub/emhub/data/data_models.py", line 1099, in json\n    json[\'owner_id\'] = self.owner_id or \'None\'\n  File "/mnt/cryoemgfs/data/software/emhub/emhub/data/data_models.py", line 1034, in owner_id\n    return self.booking.owner_id if self.booking else None\n  File "/software/miniforge3_envs/emhub/lib/python3.8/site-packages/sqlalchemy/orm/attributes.py", line 565, in __get__\n    return self.impl.get(state, dict_)  # type: ignore[no-any-return]\n  File "/software/miniforge3_envs/emhub/lib/python3.8/site-packages/sqlalchemy/orm/strategies.py", line 917, in _load_for_state\n    raise orm_exc.DetachedInstanceError(', expect: { function: 'owner_id' } },
  ],
};
