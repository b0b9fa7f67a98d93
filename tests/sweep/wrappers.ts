/**
 * The wrappers real pastes come in: each one re-dresses a paste the way a log pipeline, a
 * terminal, a chat client or a hand does it, in the format of one REAL public paste (`source`).
 * The sweep (tests/sweep/sweep.ts) diagnoses every corpus paste inside every wrapper and counts
 * what each wrapper costs. Test code only: nothing here ships.
 */

export interface Wrapper {
  id: string;
  /** What produces this shape. */
  what: string;
  /** The public paste whose format is copied (adapted: timestamps, hosts and names are ours). */
  source: string;
  /**
   * Where it applies: `log`, to the output a poster copied (each fenced block of an issue body, or
   * the whole paste when it has no fence and opens as output), never to the prose around it;
   * `paste`, to the whole paste as a chat client or a terminal shows it.
   */
  scope: 'log' | 'paste';
  /** The text as the wrapper would show it; null when the wrapper does not apply to it. */
  apply: (text: string) => string | null;
}

const lines = (text: string): string[] => text.replace(/\n+$/, '').split('\n');
const each = (text: string, f: (line: string, i: number) => string): string => lines(text).map(f).join('\n') + '\n';
/** The same prefix before every line, as a log pipeline writes one record per line. */
const prefixEach = (prefix: (i: number) => string) => (text: string): string => each(text, (l, i) => prefix(i) + l);
/** A prefix before the first line only: one log record whose message spans the paste. */
const prefixFirst = (prefix: string) => (text: string): string => prefix + text;
const stamp = (i: number, frac: string): string => `2024-03-14T09:12:${String(10 + (i % 50)).padStart(2, '0')}.${frac}`;
const hasTraceback = (text: string): boolean => text.includes('Traceback (most recent call last):');
// A paste that opens as program output (a traceback, an exception line, a log record), not as a
// sentence: only such a paste is what a logger puts in one record or a JSON field.
const OUTPUT_HEAD = /^(?:Traceback \(most recent call last\):|[A-Za-z_]\w{0,60}(?:\.\w{1,60}){1,8}: |[A-Z]\w{0,80}(?:Error|Exception|Warning|Timeout|Exit)(?::|$)|(?:ERROR|FATAL|PANIC|CRITICAL|WARNING|LOG|DETAIL|HINT):? |psql: |\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2})/;
const opensAsOutput = (text: string): boolean => OUTPUT_HEAD.test(text.trimStart());
/** A one-record wrapper (a logger's record, a JSON field), for text that opens as output. */
const whenOutput = (f: (text: string) => string) => (text: string): string | null => (opensAsOutput(text) ? f(text) : null);

/** JSON string escaping as json.dumps / Go's encoder write it. */
const jsonString = (s: string): string => JSON.stringify(s);

export const WRAPPERS: Wrapper[] = [
  {
    id: 'compose-v1',
    scope: 'log',
    what: 'docker-compose v1 service prefix (`web_1  | `)',
    source: 'https://github.com/Disfactory/Disfactory/issues/10',
    apply: prefixEach(() => 'web_1     | '),
  },
  {
    id: 'compose-v2',
    scope: 'log',
    what: 'docker compose v2 service prefix (`app-1  | `)',
    source: 'https://github.com/chvvkumar/GalactiLog/issues/75',
    apply: prefixEach(() => 'app-1  | '),
  },
  {
    id: 'compose-ansi',
    scope: 'log',
    what: 'docker compose v2 with its coloured service prefix, as copied from a terminal with colours kept',
    // The colour codes are written: a web page shows no escape sequences.
    source: 'https://github.com/chvvkumar/GalactiLog/issues/75',
    apply: prefixEach(() => '\x1b[36mapi-1     | \x1b[0m'),
  },
  {
    id: 'swarm-service',
    scope: 'log',
    what: '`docker service logs` (`<service>.<slot>.<task id>@<node>    | `)',
    source: 'https://github.com/moby/moby/pull/28089',
    apply: prefixEach(() => 'api_web.1.nsj65viveh8t@node-2    | '),
  },
  {
    id: 'docker-timestamps',
    scope: 'log',
    what: '`docker logs --timestamps` (RFC 3339, nanoseconds)',
    source: 'https://github.com/openSUSE/supportutils/pull/196',
    apply: prefixEach((i) => `${stamp(i, '238986028')}Z `),
  },
  {
    id: 'compose-timestamps',
    scope: 'log',
    what: '`docker compose logs -t` (service prefix, then the timestamp)',
    // The thread names `docker-compose logs -t`; the layout is compose's prefix over Docker's timestamp.
    source: 'https://github.com/OpenCTI-Platform/connectors/issues/383',
    apply: prefixEach((i) => `worker-1  | ${stamp(i, '238986028')}Z `),
  },
  {
    id: 'docker-json-file',
    scope: 'log',
    what: "Docker's json-file driver / Kubernetes node log: one JSON record per line (`{\"log\":\"...\\n\",\"stream\":\"stderr\",\"time\":\"...\"}`)",
    source: 'https://github.com/moby/moby/issues/16386',
    apply: (text) => each(text, (l, i) => `{"log":${jsonString(`${l}\n`)},"stream":"stderr","time":"${stamp(i, '806001524')}Z"}`),
  },
  {
    id: 'kubectl-prefix',
    scope: 'log',
    what: '`kubectl logs --prefix` (`[pod/<pod>/<container>] `)',
    source: 'https://github.com/geerlingguy/ansible-for-kubernetes/issues/75',
    apply: prefixEach(() => '[pod/api-7cfd7bf68f-nk5kr/api] '),
  },
  {
    id: 'journald',
    scope: 'log',
    what: 'journald / syslog (`Mar 14 09:12:44 host app[123]: `)',
    source: 'https://github.com/galaxyproject/ansible-postgresql-objects/issues/16',
    apply: prefixEach((i) => `Mar 14 09:12:${String(10 + (i % 50)).padStart(2, '0')} web01 gunicorn[8812]: `),
  },
  {
    id: 'journald-iso',
    scope: 'log',
    what: '`journalctl -o short-iso` (`2024-03-14T09:12:44+0000 host app[123]: `)',
    // No issue thread with a traceback found; the layout is journalctl's short-iso as EKS node-log samples print it.
    source: 'https://www.freedesktop.org/software/systemd/man/latest/journalctl.html',
    apply: prefixEach((i) => `2024-03-14T09:12:${String(10 + (i % 50)).padStart(2, '0')}+0000 web01 uvicorn[8812]: `),
  },
  {
    id: 'heroku',
    scope: 'log',
    what: 'Heroku (`2022-07-06T04:25:10.665448+00:00 app[web.1]: `)',
    source: 'https://github.com/OpenSourceHelpCommunity/OpenSourceHelpCommunity.github.io/issues/46',
    apply: prefixEach((i) => `${stamp(i, '665448')}+00:00 app[web.1]: `),
  },
  {
    id: 'heroku-flat',
    scope: 'log',
    what: "Heroku's log view copied with the indentation lost (`app[web.1]: File \"...\", line 48, in load_wsgiapp`)",
    source: 'https://github.com/realpython/flask-boilerplate/issues/43',
    apply: prefixEach((i) => `${stamp(i, '665448')}+00:00 app[web.1]: `),
  },
  {
    id: 'papertrail',
    scope: 'log',
    what: 'Papertrail / Heroku drain (`Apr 04 17:46:18 host app/web.1 `, no colon)',
    source: 'https://github.com/Dallinger/Dallinger/issues/2733',
    apply: prefixEach((i) => `Apr 04 17:46:${String(10 + (i % 50)).padStart(2, '0')} app-4399267a app/web.1 `),
  },
  {
    id: 'github-actions',
    scope: 'log',
    what: 'GitHub Actions raw log (`2024-03-14T09:12:44.1234567Z `, seven fraction digits)',
    source: 'https://github.com/rust-lang/rust/pull/70776',
    apply: prefixEach((i) => `${stamp(i, '1234567')}Z `),
  },
  {
    id: 'lambda',
    scope: 'log',
    what: "AWS Lambda's Python runtime in CloudWatch (`[ERROR]\\t<time>\\t<request id>\\t<message>` on the record's first line)",
    source: 'https://github.com/aws-samples/aws-security-hub-response-and-remediation/issues/1',
    apply: whenOutput(prefixFirst('[ERROR]\t2024-03-14T09:12:44.512Z\t1f0e6a1c-9b7d-4a47-8c43-2a6c1d0f5e11\t')),
  },
  {
    id: 'gcp-textpayload',
    scope: 'log',
    what: 'Google Cloud Logging entry exported as JSON, the output in `textPayload`',
    source: 'https://github.com/gitarrg/lorrgs',
    apply: whenOutput((text) => `{"insertId": "65f2c1a0000d2b8e1f3a7c21", "resource": {"type": "cloud_run_revision"}, "textPayload": ${jsonString(text)}, "timestamp": "2024-03-14T09:12:44.512340Z", "severity": "ERROR"}\n`),
  },
  {
    id: 'gcp-jsonpayload',
    scope: 'log',
    what: 'Google Cloud Logging structured entry, the output in `jsonPayload.message` (GKE / Cloud Run structured logs)',
    source: 'https://github.com/battlecode/galaxy/pull/306',
    apply: whenOutput((text) => `{"insertId": "1x9k2b0f3", "jsonPayload": {"message": ${jsonString(text)}, "logger": "app"}, "severity": "ERROR", "timestamp": "2024-03-14T09:12:44.512340Z"}\n`),
  },
  {
    id: 'structlog-json',
    scope: 'log',
    what: 'structlog JSONRenderer with format_exc_info (`{"event": ..., "exception": "Traceback ..."}`)',
    source: 'https://github.com/AndydeCleyre/nestedtextto',
    apply: whenOutput((text) => (hasTraceback(text) ? `{"event": "request failed", "level": "error", "timestamp": "2024-03-14T09:12:44.512340Z", "exception": ${jsonString(text.replace(/\n+$/, ''))}}\n` : `{"event": ${jsonString(text.replace(/\n+$/, ''))}, "level": "error", "timestamp": "2024-03-14T09:12:44.512340Z"}\n`)),
  },
  {
    id: 'json-logger-exc-info',
    scope: 'log',
    what: 'python-json-logger (`{"asctime": ..., "levelname": "ERROR", "message": ..., "exc_info": "Traceback ..."}`)',
    source: 'https://github.com/madzak/python-json-logger/pull/26',
    apply: (text) => (hasTraceback(text) && opensAsOutput(text) ? `{"asctime": "2024-03-14 09:12:44,512", "levelname": "ERROR", "name": "app.api", "message": "Unhandled exception", "exc_info": ${jsonString(text.replace(/\n+$/, ''))}}\n` : null),
  },
  {
    id: 'celery-worker',
    scope: 'log',
    what: "Celery worker log record (`[2024-03-14 09:12:44,512: ERROR/ForkPoolWorker-1] ` on the record's first line)",
    source: 'https://github.com/SuperCoopBerlin/tapir/pull/485',
    apply: whenOutput(prefixFirst('[2024-03-14 09:12:44,512: ERROR/ForkPoolWorker-1] ')),
  },
  {
    id: 'python-logging',
    scope: 'log',
    what: "Python logging's basicConfig format (`ERROR:root:` on the record's first line)",
    source: 'https://docs.python.org/3/howto/logging.html',
    apply: whenOutput(prefixFirst('ERROR:root:')),
  },
  {
    id: 'gunicorn-error',
    scope: 'log',
    what: "gunicorn's error log (`[2024-03-14 09:12:44 +0000] [8812] [ERROR] ` on the record's first line)",
    source: 'https://github.com/GoogleCloudPlatform/python-docs-samples/issues/1534',
    apply: whenOutput(prefixFirst('[2024-03-14 09:12:44 +0000] [8812] [ERROR] ')),
  },
  {
    id: 'pytest-e',
    scope: 'log',
    what: "pytest's `E   ` lines (an error printed inside a failing test), pastes without a traceback",
    source: 'https://github.com/fivetran/great_expectations/issues/1215',
    apply: (text) => (text.includes('File "') || !opensAsOutput(text) ? null : each(text, (l) => `E   ${l}`.trimEnd())),
  },
  {
    id: 'fence',
    scope: 'paste',
    what: 'Markdown / Slack code fence on its own lines',
    source: 'https://github.com/Dallinger/Dallinger/issues/2733',
    apply: (text) => `\`\`\`\n${text.replace(/\n+$/, '')}\n\`\`\`\n`,
  },
  {
    id: 'fence-lang-hug',
    scope: 'paste',
    what: 'a code fence with a language tag, closed on the last line (` ```python ... trace``` `)',
    // The fence hugging the last line is written; the language tag is as Markdown writes it.
    source: 'https://github.com/zooniverse/aggregation/issues/97',
    apply: (text) => `\`\`\`python\n${text.replace(/\n+$/, '')}\`\`\`\n`,
  },
  {
    id: 'quote',
    scope: 'paste',
    what: 'a whole reply quoted (`> ` before every line, a bare `>` for a blank one)',
    source: 'https://github.com/n3d1117/chatgpt-telegram-bot/issues/522',
    apply: (text) => each(text, (l) => (l === '' ? '>' : `> ${l}`)),
  },
  {
    id: 'indented-block',
    scope: 'paste',
    what: 'a Markdown code block indented by four spaces (Stack Overflow, forums)',
    source: 'https://stackoverflow.com/editing-help#code',
    apply: (text) => each(text, (l) => (l === '' ? '' : `    ${l}`)),
  },
  {
    id: 'crlf',
    scope: 'paste',
    what: 'Windows line ends (CRLF)',
    // No web page shows a line end; the layout is a Windows clipboard's.
    source: 'https://github.com/psycopg/psycopg2/issues/417',
    apply: (text) => text.replace(/\n/g, '\r\n'),
  },
  {
    id: 'tabs',
    scope: 'paste',
    what: 'indentation as tabs (an editor or a log viewer converting spaces)',
    // Written: no thread found whose paste is known to hold tabs rather than spaces.
    source: 'https://github.com/pgbouncer/pgbouncer/issues/150',
    apply: (text) => (/^ {2}/m.test(text) ? each(text, (l) => l.replace(/^( {2}){1,8}/, (m) => '\t'.repeat(m.length / 2))) : null),
  },
  {
    id: 'ansi',
    scope: 'paste',
    what: "terminal colours kept (Python 3.13's coloured traceback, a coloured logger)",
    source: 'https://github.com/python/cpython/issues/112730',
    apply: (text) => each(text, (l) => (/^\s/.test(l) || l === '' ? l.replace(/File "([^"]{1,400})"/, 'File \x1b[35m"$1"\x1b[0m') : `\x1b[1;35m${l}\x1b[0m`)),
  },
  {
    id: 'slack-escaped',
    scope: 'paste',
    what: "Slack's mrkdwn escaping of `&`, `<`, `>` in the message payload",
    source: 'https://api.slack.com/reference/surfaces/formatting#escaping',
    apply: (text) => (/[&<>]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : null),
  },
];

/** Wrappers that strip leading whitespace from each line after prefixing (a view that loses indentation). */
export const FLATTENS = new Set(['heroku-flat']);

const FENCE = /^\s{0,3}```/;

/**
 * The paste inside the wrapper. A `log` wrapper dresses each fenced block of the paste (the
 * output its poster copied), or the whole paste when it has no fence and opens as output; null
 * when it dresses nothing (prose alone).
 */
export function wrap(w: Wrapper, text: string): string | null {
  const dress = (t: string): string | null => w.apply(FLATTENS.has(w.id) ? each(t, (l) => l.trimStart()) : t);
  if (w.scope === 'paste') return dress(text);
  const all = text.split('\n');
  if (!all.some((l) => FENCE.test(l))) return opensAsOutput(text) ? dress(text) : null;
  const out: string[] = [];
  let block: string[] | null = null;
  let dressed = false;
  for (const line of all) {
    if (!FENCE.test(line)) {
      (block ?? out).push(line);
      continue;
    }
    // A fence line that also carries text (```Traceback ...```) is left as the poster wrote it.
    if (line.trim() !== '```' && !/^\s{0,3}```[\w+-]{0,20}\s*$/.test(line)) {
      (block ?? out).push(line);
      continue;
    }
    if (block === null) {
      out.push(line);
      block = [];
      continue;
    }
    const inner = block.join('\n');
    const d = inner.trim() === '' ? null : dress(`${inner}\n`);
    if (d !== null) dressed = true;
    out.push(...(d === null ? block : d.replace(/\n$/, '').split('\n')), line);
    block = null;
  }
  if (block !== null) out.push(...block);
  return dressed ? out.join('\n') : null;
}
