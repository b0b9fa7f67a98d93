import severities from '../../knowledge/sqlstates/severities.json' with { type: 'json' };
import { isJsFrameLine } from './js-stack.js';
import { POSTGRES_SEVERITIES } from './postgres-translations-data.js';
import type { ParsedPaste } from './types.js';
import { escapeRegExp } from './escape-regexp.js';

// The server's severities in every language Debian ships its translations for (`ERREUR:  `,
// `FEHLER:  `, `ОШИБКА:  `; knowledge/sqlstates/severities.json), and libpq's DETAIL / HINT
// lines, all with the two spaces libpq puts after the colon.
const SEVERITY_WORDS = [...new Set([...Object.values(severities.severities).flat(), 'DETAIL', 'HINT'])].sort((a, b) => b.length - a.length);
const LOCALISED_SEVERITY = new RegExp(`(?:^|\\s)(?:${SEVERITY_WORDS.map(escapeRegExp).join('|')}): {2}\\S`, 'u');

// PostgreSQL's client programs label an error in the user's language: psql 12+ translates its own
// `error: ` through its catalog (`psql: 错误: `, `psql: Fehler: `, `psql: ошибка: `, French `psql: erreur : `),
// which uses the words the server's catalogs use for ERROR, in lower case; before 12, psql printed the
// server's severity itself after its name (`psql: 致命错误:  `, `psql: FATAL:  `). The words of
// PostgreSQL's error severities in every translated language (POSTGRES_SEVERITIES), read case-blind.
const CLIENT_ERROR_WORDS = [...new Set(['ERROR', 'FATAL', 'PANIC', ...Object.entries(POSTGRES_SEVERITIES).filter(([, en]) => en === 'ERROR' || en === 'FATAL' || en === 'PANIC').map(([word]) => word)])]
  .sort((a, b) => b.length - a.length)
  .map(escapeRegExp)
  .join('|');
/** `psql: <error label in any of PostgreSQL's languages>:` at the head of a line (French puts a space before the colon). */
const PSQL_ERROR_LABEL = new RegExp(`^\\s{0,8}psql: (?:${CLIENT_ERROR_WORDS}) ?:\\s`, 'iu');

/**
 * Marks of error output in a line, as programs print it; chat that names an error has none of
 * them. Each is bounded and runs on normalised lines (log prefixes that normalise understands
 * are already gone; these are the formats it leaves in place). The comment says the real output
 * each was written for.
 */
const OUTPUT_MARKS: { gate: (line: string) => boolean; re: RegExp }[] = [
  // A Python frame anywhere, whatever prefix a platform put before it (Heroku's
  // `app[worker.1]:   File "/app/.heroku/python/lib/python3.8/site-packages/..."`).
  { gate: (l) => l.includes('File "'), re: /File "[^"]{1,1000}", line \d{1,9}, in / },
  // A frame whose head was cut off by a copy or a title (`site-packages/sqlalchemy/orm/session.py",
  // line 601, in _assert_active raise ...`).
  { gate: (l) => l.includes('.py", line '), re: /\.py", line \d{1,9}, in [\w<]/ },
  // The source line of the raising frame, left in front of the exception by a copied title
  // (`raise orm_exc.DetachedInstanceError( sqlalchemy.orm.exc.DetachedInstanceError: ...`).
  { gate: (l) => l.trimStart().startsWith('raise '), re: /^\s{0,8}raise [\w.]{1,200}\(\s{0,4}[\w.]{1,200}(?:Error|Exception|Warning)\b/ },
  // The repr of Pydantic / FastAPI error lists: `[{'type': 'missing', 'loc': ('body',), ...`.
  { gate: (l) => l.includes('[{'), re: /\[\{\s{0,4}['"](?:type|loc)['"]\s{0,4}:/ },
  // A traceback header anywhere: JSON log records embed it (`"exception": "Traceback (most ...`),
  // Heroku prefixes every line (`app[web.1]: Traceback ...`).
  { gate: (l) => l.includes('Traceback'), re: /Traceback \(most recent call last\)/ },
  // PostgreSQL / libpq / psql and CLI tools: `FATAL:  sorry, too many clients`, alembic's
  // `  FAILED: Multiple heads are present`, `error: ...`.
  { gate: (l) => /^\s{0,8}[EFPefp]/.test(l), re: /^\s{0,8}(?:(?:FATAL|ERROR|PANIC|FAILED):\s|psql: error:|error: |fatal: )/ },
  // psql's own error label, translated (`psql: 错误: 连接到"localhost" (::1)上的服务器，端口5432失败：...`).
  { gate: (l) => l.includes('psql: '), re: PSQL_ERROR_LABEL },
  // PostgreSQL's own severity inside a line, as libpq formats it (two spaces after the colon),
  // behind whatever a tool or logger put first: `2023-10-23 09:52:01 UTC [2982438] app@db ERROR:  could
  // not serialize access`, `PG::UndefinedColumn: ERROR:  column ...`, `SQLSTATE[42703]: ...: 7 ERROR:  ...`.
  // Not right after an opening quote: a sentence quoting psql (`returns "ERROR:  division by zero"`) is chat.
  { gate: (l) => l.includes('ERROR:  ') || l.includes('FATAL:  ') || l.includes('PANIC:  '), re: /(?<![\w"“'`「])(?:ERROR|FATAL|PANIC): {2}\S/ },
  // A PostgreSQL SQLSTATE as drivers and loggers print it: PHP's `SQLSTATE[55P03]: Lock not
  // available`, pgx's `(SQLSTATE 42703)`, node-postgres' `code: '42P01'` and JSON `"errorCode": "55P03"`.
  // Elixir's Postgrex struct: `%Postgrex.Error{postgres: %{code: :deadlock_detected, pg_code: "40P01", ...`.
  { gate: (l) => l.includes('SQLSTATE') || /code/i.test(l), re: /SQLSTATE\[[0-9A-Z]{5}\]|\(SQLSTATE [0-9A-Z]{5}\)|\b(?:code|pg_code|errorCode|sqlState)['"]?:\s{0,2}['"][0-9A-Z]{5}['"]/ },
  // Haskell's hasql and postgresql-simple: `ResultError (ServerError "40001" "could not serialize ...")`.
  { gate: (l) => l.includes('Error "'), re: /\b[A-Z]\w{0,40}Error "[0-9A-Z]{5}" "/ },
  // A driver's exception as other stacks print PostgreSQL's errors: SQLAlchemy's message without
  // its type (`(psycopg2.errors.UndefinedObject) type "vector" does not exist`), Ruby's pg gem
  // (`PG::InFailedSqlTransaction: ERROR: ...`), JDBC (`PSQLException: ERROR: type ...`).
  { gate: (l) => l.includes('(psycopg') || l.includes('(asyncpg') || l.includes('PG::') || l.includes('PSQLException'), re: /(?:^\s{0,8}|: )\((?:psycopg2?|asyncpg)\.(?:\w{1,60}\.){0,4}[A-Z]\w{0,80}\) |\bPG::[A-Z]\w{1,60}: (?:ERROR|FATAL):|\bPSQLException: (?:ERROR|FATAL):/ },
  // A level in brackets: celery `[2024-05-14 09:12:03,551: ERROR/ForkPoolWorker-2]`, Apache
  // `[error] [client 10.1.2.3]`, nginx `[crit]`.
  { gate: (l) => l.startsWith('['), re: /^\[[^\]]{0,100}\b(?:ERROR|CRITICAL|FATAL|error|crit|emerg|alert)\b[^\]]{0,100}\]/ },
  // SQLAlchemy's wrapped DBAPI error without the outer class, as a report quotes its message:
  // `(psycopg2.OperationalError) FATAL: sorry, too many clients already (Background on ...)`.
  // A logger's own message may come first: `Error during connection setup: (psycopg2.OperationalError) ...`.
  { gate: (l) => l.includes('Error) ') || l.includes('Exception) ') || l.includes('Violation) ') || l.includes('Warning) '), re: /(?:^|: )\((?:\w{1,64}\.){1,4}\w{0,64}(?:Error|Exception|Violation|Warning)\) \S/ },
  // Structured logs: JSON `"level": "error"`, logfmt `level=error`.
  { gate: (l) => l.includes('level') || l.includes('severity'), re: /(?:"(?:level|severity|levelname)"\s{0,4}:\s{0,4}"|\blevel=)(?:error|ERROR|Error|critical|CRITICAL|fatal|FATAL)\b/ },
  // Python logging after a prefix normalise does not know: `k8s job x: ERROR [alembic.util.messaging] ...`.
  { gate: (l) => l.includes('ERROR') || l.includes('CRITICAL'), re: /\b(?:ERROR|CRITICAL)\s{1,4}\[[\w.:-]{1,128}\]\s/ },
  // Python's repr of the exception class before its message (mod_wsgi, some loggers):
  // `Error - <class 'sqlalchemy.exc.TimeoutError'>: QueuePool limit ...`.
  // Or the `sys.exc_info()` pair a handler logged: `<class 'x.UnmappedInstanceError'>, UnmappedInstanceError("...",)`.
  { gate: (l) => l.includes("<class '"), re: /<class '[\w.]{1,200}'>(?:: |, [\w.]{1,200}\()/ },
  // A timestamped log line other than ISO dashes (Go's log package: `2025/04/09 11:02:17 failed
  // to connect ...`) that reports a failure.
  { gate: (l) => /^\d{4}\//.test(l), re: /^\d{4}\/\d{2}\/\d{2}[ T]\d{2}:\d{2}:\d{2}\S{0,12} [^\n]{0,4000}\b(?:error|failed|refused|fatal|exception|panic)\b/i },
  // A PostgreSQL server log line once normalise has taken its timestamp off: what log_line_prefix
  // leaves before the severity (a time zone, user@database, a pid), `CET ERROR: invalid input ...`,
  // `postgres@ch_oddb FATAL:  Verbindung ...`; and the server's own two spaces after the severity
  // anywhere in a tool's log (`3566 ERROR  pgsql.c:1920  [TARGET 9899] ERROR:  cannot drop ...`).
  { gate: (l) => l.includes('ERROR:') || l.includes('FATAL:') || l.includes('PANIC:'), re: /^\s{0,8}(?:[A-Z]{2,5}|[\w.-]{1,63}@[\w.-]{1,63}) (?:ERROR|FATAL|PANIC):\s{1,4}\S|(?<![\w"“'`「])(?:ERROR|FATAL|PANIC): {2}\S/ },
  // JVM, .NET and PHP exception lines, a namespaced class first: `org.postgresql.util.PSQLException:
  // ERROR: ...`, `Npgsql.PostgresException (0x80004005): 57P01: ...`, `Doctrine\DBAL\...\DriverException: ...`.
  { gate: (l) => l.includes('Exception') || l.includes('Error'), re: /^\s{0,8}(?:[A-Za-z_]\w{0,60}(?:\.|\\)){1,8}[A-Z]\w{0,80}(?:Exception|Error)(?: \(0x[0-9A-Fa-f]{8}\))?:(?: \S|["“'])/ },
  // PDO's SQLSTATE message, whatever wraps it: `SQLSTATE[22007]: Invalid datetime format: 7 ERROR: ...`.
  { gate: (l) => l.includes('SQLSTATE['), re: /SQLSTATE\[[0-9A-Z]{5}\]: [A-Z][A-Za-z ]{2,60}: \d{1,4} / },
  // Python logging's `%(asctime)s - %(levelname)s - %(name)s - ...` once normalise has taken the
  // time off: `- ERROR - query-exporter - query ... failed: (psycopg2.errors.SyntaxError) ...`.
  { gate: (l) => l.includes('- ERROR - ') || l.includes('- CRITICAL - '), re: /^\s{0,4}- (?:ERROR|CRITICAL) - \S/ },
  // Other runtimes' crash lines: Elixir `** (Postgrex.Error) ERROR 42P10 ...`, Go's lib/pq
  // `...: pq: pg_hba.conf rejects connection ...`, Dart's `Unhandled exception:` header.
  { gate: (l) => l.includes('(') || l.includes('pq: ') || l.startsWith('Unhandled'), re: /^\s{0,4}\*\*\s?\((?:[A-Z]\w{0,40}\.){0,4}\w{0,60}(?:Error|Exception)\) \S|(?:^|: )pq: [a-z]|^Unhandled exception:\s{0,4}$/ },
  // A driver error whose SQLAlchemy class was cut off or escaped in Markdown:
  // `\(psycopg2.errors.DatetimeFieldOverflow) interval out of range`; and an exception's repr at the
  // head of a line, `ProgrammingError('(psycopg2.errors.DuplicateTable) relation ...')`.
  { gate: (l) => l.includes('('), re: /^\s{0,4}\\?\((?:psycopg2?|asyncpg)\.[\w.]{1,100}\) \S|^\s{0,4}[A-Z]\w{0,60}(?:Error|Exception)\(['"]\S/ },
  // A SQL client's error line: `SQL Error: invalid input syntax for type timestamp ...`.
  { gate: (l) => l.includes('SQL Error'), re: /^\s{0,4}SQL Error(?: \[\d{1,6}\])?: \S/ },
  // HTTP error responses: a status line, or FastAPI's error body (`{"detail":[{"type":"missing", ...`).
  { gate: (l) => l.startsWith('HTTP/'), re: /^HTTP\/\d(?:\.\d)? [45]\d\d\b/ },
  { gate: (l) => l.includes('"detail"'), re: /\{\s{0,8}"detail"\s{0,4}:\s{0,4}[[{"]/ },
  // A pydantic v2 error line, even when the header was cut off: `  Field required [type=missing, input_value={...}, input_type=dict]`.
  { gate: (l) => l.includes('[type='), re: /\[type=[a-z_]{1,60}, input_value=/ },
  // Pydantic's printed ValidationError header: `1 validation error for AccountOut`.
  { gate: (l) => l.includes('validation error'), re: /^\d{1,4} validation errors? for [A-Za-z_]/ },
  // pytest's error sections: `____ ERROR at setup of test_x ____`, `==== ERRORS ====`.
  { gate: (l) => l.startsWith('_') || l.startsWith('='), re: /^_{3,} ERROR at (?:setup|teardown) of |^={3,} (?:ERRORS|FAILURES) ={3,}$/ },
  // The Docker CLI relaying the daemon: `docker: Error response from daemon: driver failed
  // programming external connectivity on endpoint db (...): Bind for 0.0.0.0:5432 failed: ...`.
  // Rancher and other orchestrators quote it after their own text: `postgres (Expected state running
  // but got error: Error response from daemon: ...`. Docker's old logrus fatal: `FATA[0000] Error ...`.
  { gate: (l) => l.includes('Error response from daemon') || l.includes('FATA['), re: /(?:^\s{0,8}(?:docker: )?|got error: |FATA\[\d{1,6}\] )Error response from daemon: / },
  // The container runtime failing to start the entrypoint: `exec /usr/local/bin/docker-entrypoint.sh:
  // exec format error`, runc's older `standard_init_linux.go:175: exec user process caused "exec format error"`.
  { gate: (l) => l.includes('exec'), re: /^\s{0,8}exec \S{1,300}: (?:exec format error|no such file or directory|permission denied)\s{0,4}$|standard_init_linux\.go:\d{1,5}: exec user process caused/ },
  // Image pulls and builds: `failed to register layer: Error processing tar file(exit status 1): ...`,
  // Compose: `dependency failed to start: container db-1 is unhealthy`.
  { gate: (l) => l.includes('failed to') || l.includes('error creating layer'), re: /^\s{0,8}(?:failed to register layer: |error creating layer with ID |[Dd]ependency failed to start: )/ },
  // Redis replies raised by other languages' clients: Ruby `Redis::CommandError: OOM command not
  // allowed ...`, Node `ReplyError: ERR max number of clients reached`.
  { gate: (l) => l.includes('Error: '), re: /^\s{0,8}(?:[A-Z][A-Za-z0-9]{0,40}::){1,4}[A-Z][A-Za-z0-9]{0,40}(?:Error|Exception): |^\s{0,8}[A-Z][A-Za-z]{1,40}Error: (?:ERR|WRONGTYPE|WRONGPASS|NOAUTH|OOM|MOVED|ASK|READONLY|BUSY|LOADING|NOSCRIPT|EXECABORT|CROSSSLOT)\b/ },
  // A logger's bracketed prefix, then the level: `[sotoki::MainThread::2025-12-22 23:48:42,874] ERROR:Interrupting ...`.
  { gate: (l) => l.startsWith('['), re: /^\[[^\]]{1,160}\]\s{0,4}(?:ERROR|CRITICAL|FATAL):/ },
  // The kernel's OOM killer in dmesg / journal: `java invoked oom-killer: gfp_mask=0xd0, order=0`,
  // `Memory cgroup out of memory: Killed process 4242 (python)`.
  { gate: (l) => l.includes('oom-killer') || l.includes('out of memory'), re: /invoked oom-killer: gfp_mask=|(?:Memory cgroup out of memory|Out of memory): Killed process \d/ },
  // redis-cli: `(error) WRONGTYPE Operation against a key holding the wrong kind of value`.
  { gate: (l) => l.includes('(error)'), re: /^\s{0,8}\(error\) [A-Z]{2,20} / },
  // A Celery level in brackets after another prefix: `worker-okteto-55cd[2022-05-19 13:35:26,740:
  // ERROR/MainProcess] consumer: Cannot connect to amqp://...`, or the bracket's tail alone.
  { gate: (l) => l.includes('/MainProcess]') || l.includes('/ForkPoolWorker'), re: /\b(?:ERROR|CRITICAL)\/(?:MainProcess|ForkPoolWorker-\d{1,5})\]/ },
  // kubectl: `hello-pod   0/1   ImagePullBackOff   0   2m55s` (get pods), `Reason:  OOMKilled`
  // (describe, container state), `Warning  BackOff  21s (x50 over 10m)  kubelet  Back-off restarting ...` (events).
  { gate: (l) => /BackOff|ErrImagePull|OOMKilled|Warning/.test(l), re: /^\S{1,253}\s{1,80}\d{1,3}\/\d{1,3}\s{1,40}(?:CrashLoopBackOff|ImagePullBackOff|ErrImagePull|OOMKilled|CreateContainerConfigError|RunContainerError)\s{1,40}\d{1,6}|^\s{0,12}Reason:\s{1,30}(?:OOMKilled|CrashLoopBackOff|ErrImagePull|ImagePullBackOff)\s{0,4}$|^\s{0,12}Warning\s{1,12}(?:BackOff|Failed|FailedSync|Unhealthy|FailedMount|OOMKilling)\s{1,40}\S/ },
  // A container status's termination reason as `kubectl get pod -o json` / `-o yaml` / a go-template
  // prints it: `"reason": "OOMKilled",`, and the kubelet's spelling before 1.2, `reason:OOM Killed`;
  // a tool's prefixed field too (Airflow's `container_reason: OOMKilled`).
  { gate: (l) => l.includes('OOM'), re: /(?:\b|_)reason["']?:\s{0,4}["']?OOM ?Killed\b/ },
  // PostgreSQL's own lines in the server's language, libpq's DETAIL and HINT (see LOCALISED_SEVERITY).
  { gate: (l) => l.includes(':  '), re: LOCALISED_SEVERITY },
  // A program's log line as syslog and journald keep it, its name and pid first:
  // `/confd-0.12.0-linux-amd64[16793]: ERROR MOVED 5517 172.21.10.191:8390`.
  { gate: (l) => l.includes(']: '), re: /^\S{1,200}\[\d{1,10}\]: (?:ERROR|CRITICAL|FATAL|PANIC)\b/ },
  // A tool's error line as a report quotes it: `"ERROR: for postgres  Cannot start service postgres: ..."`.
  { gate: (l) => /^\s{0,8}["'`]/.test(l), re: /^\s{0,8}["'`](?:ERROR|FATAL|PANIC|FAILED|error|fatal): \S/ },
  // loguru and other pipe-separated formats: `| WARNING  | app.tokens:count:88 - Error increasing ...`,
  // once normalise has taken the time off (a level column is a log record whatever the level).
  { gate: (l) => l.includes('|'), re: /^\s{0,4}\|\s{0,4}(?:WARNING|ERROR|CRITICAL)\s{0,8}\|\s/ },
  // An exception line behind one word and a colon, such as a localised "Error:"
  // (`Ошибка: asyncpg.exceptions.ConnectionDoesNotExistError: connection was closed ...`), or
  // behind a few words and a dash (`Still facing this exception -  redis.exceptions.ConnectionError: Error 32 ...`).
  { gate: (l) => l.includes(': '), re: /^\s{0,8}(?:[^\s:]{1,24}:|[^\n]{1,80}? -) {1,3}(?:[a-z_]\w{0,40}\.){1,8}[A-Z]\w{0,60}(?:Error|Exception): \S/ },
  // An exception whose class does not end in Error, followed by the repr of the one it wraps:
  // `cherrypy.process.wspbus.ChannelFailures: ResponseError("OOM command not allowed ...",)`.
  { gate: (l) => l.includes('("') || l.includes("('"), re: /^\s{0,8}(?:[a-z_]\w{0,40}\.){1,8}[A-Z]\w{0,60}: [A-Z]\w{0,60}(?:Error|Exception)\(["']/ },
  // Locals in a traceback (pytest --showlocals, rich): `self = <alembic.script.base.ScriptDirectory object at 0x120578460>, ...`.
  { gate: (l) => l.includes(' object at 0x'), re: /^\s{0,8}\w{1,60} = <[\w.]{1,200} object at 0x[0-9a-fA-F]{6,16}>/ },
  // A log record whose prefix is a clock time alone (a formatter's `%(asctime)s` with `datefmt="%H:%M:%S"`),
  // also the first line of an inline-code span: `10:47:47 ERROR: ...`, `13:02:01 CRITICAL [app] ...`.
  { gate: (l) => /^\s{0,8}`?\d/.test(l), re: /^\s{0,8}`?\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,6})? {1,4}(?:ERROR|CRITICAL|FATAL)(?::| {1,4}[[-])/ },
  // An exception line behind a label with a full-width colon, as Chinese and Japanese reports write
  // it: `报错：requests.exceptions.ConnectionError: ...`, `エラー：sqlalchemy.exc.OperationalError: ...`.
  { gate: (l) => l.includes('：'), re: /^\s{0,8}[^\s:：]{1,12}：\s{0,3}(?:[a-z_]\w{0,40}\.){1,8}[A-Z]\w{0,60}(?:Error|Exception): \S/ },
  // Django's technical 500 page copied as text (its `Traceback:` block before Django 2.2 and the
  // "Copy-and-paste view"): `File "/usr/lib/python3/site-packages/django/core/handlers/base.py" in get_response`.
  { gate: (l) => l.includes('File "'), re: /^\s{0,8}File "[^"]{1,1000}" in [\w<>]{1,100}\s{0,4}$/ },
  // kubectl describe's events table before Kubernetes 1.5, ages and count first, then the source:
  // `18m  2m  8  {kubelet node-1}  spec.containers{web}  Warning  Failed  Failed to pull image ...`.
  { gate: (l) => l.includes('{kubelet '), re: /^\s{0,12}\d{1,5}[smhd]\s{1,16}\d{1,5}[smhd]\s{1,16}\d{1,6}\s{1,16}\{kubelet [^}\n]{1,253}\}/ },
  // A Warning row of `kubectl get events` (`oc get event`) since Kubernetes 1.14, and of `kubectl events`:
  // the last-seen age (with `kubectl events`' `(x3 over 135m)`), the type, the reason, the object as
  // kind/name, the message; `-A` puts the namespace first:
  // `9m37s   Warning   Failed   pod/web-5888cf98bf-xzklp   Failed to pull image "x:20.7": rpc error: ...`.
  // Only Warning rows: a Normal row (`Pulling`, `Scheduled`) is the cluster working.
  { gate: (l) => l.includes('Warning ') && l.includes('/'), re: /^\s{0,12}(?:[a-z0-9][a-z0-9-]{0,62}\s{2,40})?(?:(?:\d{1,5}[smhd]){1,3}(?: \(x\d{1,7} over (?:\d{1,5}[smhd]){1,3}\))?|<unknown>)\s{2,40}Warning\s{2,40}[A-Z][A-Za-z]{1,60}\s{2,80}[A-Za-z][\w.-]{0,80}\/[\w.:-]{1,253}\s{2,80}\S/ },
  // Home Assistant's log panel (Settings > System > Logs > an entry) copied as text, over the message:
  // `Log Details (ERROR)`, `Logger: homeassistant.components.recorder.util`, `Source: ...`,
  // `First occurred: 12:30:54 AM (14 occurrences)`, `Last logged: 9:32:33 AM`. The header is often left
  // out of the copy; the occurrence count, which only the panel prints, is not (the time in the user's locale).
  { gate: (l) => l.includes('Log Details (') || l.includes('First occurred: '), re: /^\s{0,8}(?:Log Details \((?:ERROR|CRITICAL|WARNING)\)|First occurred: [^\n()]{1,80}\(\d{1,9} occurrences?\))\s{0,4}$/ },
  // A container's waiting reason and the kubelet's message, as dashboards and `kubectl get pod -o`
  // templates print them: `ErrImagePull: rpc error: code = Unknown desc = ...`, `ImagePullBackOff: Back-off pulling image "x"`.
  { gate: (l) => /ErrImagePull|BackOff|InvalidImageName|CreateContainer/.test(l), re: /^\s{0,8}(?:ErrImagePull|ImagePullBackOff|CrashLoopBackOff|InvalidImageName|CreateContainerConfigError|CreateContainerError): (?:rpc error: code = |[Bb]ack-off (?:pulling|restarting) |failed to |Error response from daemon)/ },
  // Airflow's KubernetesExecutor / KubernetesPodOperator summary of a failed pod:
  // `container_state: terminated, container_reason: OOMKilled, container_message: None, exit_code: 137`.
  { gate: (l) => l.includes('container_reason: '), re: /\bcontainer_reason: (?:OOMKilled|Error|ContainerCannotRun|CrashLoopBackOff|ErrImagePull|ImagePullBackOff)\b/ },
  // A Ruby backtrace frame, whatever a platform put before it (Heroku's `app[web.1]:`, Rails'
  // `redis (3.3.5) `): `/app/vendor/bundle/ruby/2.3.0/gems/redis-3.3.1/lib/redis/client.rb:121:in `call'`,
  // Ruby 3.4's `client.rb:121:in 'Redis::Client#call'`, the older `from x.rb:5:in `<main>'`.
  { gate: (l) => l.includes('.rb:'), re: /\.rb:\d{1,7}:in [`'][^'\n]{1,300}'\s{0,4}$/ },
  // IPython's and Jupyter's traceback frames since IPython 8 (`File <path>:<line>, in <function>(<args>)`),
  // and the cell's own header: `File /usr/lib/python3.10/asyncio/runners.py:33, in run(main, debug)`,
  // `File ~/src/app/client.py:218, in Chatbot.ask(self, prompt)`, `Cell In[5], line 46`.
  { gate: (l) => l.includes(', in ') || l.includes(', line '), re: /^\s{0,8}File [^\n,]{1,1000}\.py:\d{1,7}, in [\w<>.]{1,200}|^\s{0,8}Cell In\s?\[\d{1,6}\], line \d{1,7}/ },
  // pyTelegramBotAPI's logger (`%(asctime)s (%(filename)s:%(lineno)d %(threadName)s) %(levelname)s - TeleBot: "..."`)
  // and other `(file.py:line [thread]) LEVEL - name:` formats, once normalise has taken the time off:
  // `(__init__.py:211 MainThread) ERROR - TeleBot: "A request to the Telegram API was unsuccessful. ..."`.
  { gate: (l) => l.includes('.py:'), re: /^\s{0,8}\([\w.-]{1,100}\.py:\d{1,7}(?: [\w-]{1,60})?\) (?:ERROR|CRITICAL|FATAL) - [\w.-]{1,100}:? /u },
  // A level in brackets behind the pictograph some loggers put first, which normalise does not take off
  // as it takes a bare `[ERR] ` (jackal's Go logger: `💥 [ERR] c2s:121 - ...`; `ℹ️ [INF]`, `🔍 [DBG]` below error level).
  { gate: (l) => l.includes('[ERR') || l.includes('[FATAL]') || l.includes('[CRIT]'), re: /^\s{0,8}\p{Extended_Pictographic}\uFE0F?\s{1,3}\[(?:ERR|ERROR|FATAL|CRIT)\]\s{1,4}\S/u },
  // pytest's short test summary line for a failed test (`FAILED <file>::<test> - <message>`), also behind
  // the `<package>> ` prefix Nix puts on every line of a build log:
  // `dooit> FAILED tests/test_ui/test_loader.py::test_loader - Failed: async def functions are not natively supported.`
  { gate: (l) => l.includes('FAILED ') && l.includes('::'), re: /^\s{0,8}(?:[\w.+-]{1,100}> {1,4})?FAILED [^\s:]{1,300}::[^\s]{1,300} - \S/ },
];

/**
 * Output shapes that corroborate a catalogued match but do not earn an unasked reply alone:
 * each is printed output, yet common outside crashes (a JSON body, an object's repr, a shell
 * tool's line, a JSON log record), so with no fault recognised the bot stays quiet
 * (tests/corpus near-misses such as `pg_dump: error: aborting because of server version mismatch`).
 * Bounded, gated and commented like OUTPUT_MARKS.
 */
const MATCHED_OUTPUT_MARKS: { gate: (line: string) => boolean; re: RegExp }[] = [
  // asyncio's exception handler logs its context one `key: repr` a line under the message:
  // aiohttp's `Unclosed client session` / `client_session: <aiohttp.client.ClientSession object at 0x7f...>`,
  // `connector: <aiohttp.connector.TCPConnector object at 0x...>`.
  { gate: (l) => l.includes(' object at 0x'), re: /^\s{0,8}\w{1,60}: <[\w.]{1,200} object at 0x[0-9a-fA-F]{6,16}>/ },
  // The same handler's `future:` / `task:` key holds the Task's repr, the only place a poster's copy
  // may name the exception: `future: <Task finished name='Task-14' coro=<...> exception=AuthenticationError('...')>`.
  { gate: (l) => l.includes('<Task '), re: /^\s{0,8}(?:future|task): <Task (?:finished|pending|cancelled)\b/ },
  // pytest's fixture lookup error under `fixture 'x' not found`, whatever prefix it kept (pytest's own
  // `>` marker, a CI timestamper's `10:47:47 `): `>       available fixtures: cache, capfd, ...`,
  // `>       use 'pytest --fixtures [testpath]' for help on them.`
  { gate: (l) => l.includes('fixtures'), re: /^\s{0,8}(?:\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,6})?\s{1,40})?(?:[>E]\s{1,10})?(?:available fixtures: \w|use '[^'\n]{1,80}--fixtures \[testpath\]' for help on them)/ },
  // coreutils and busybox failing on a file, as container entrypoints print them:
  // `chmod: changing permissions of '/var/lib/postgresql/data': Operation not permitted` (GNU),
  // `chmod: /var/lib/postgresql/data: Operation not permitted` (busybox).
  { gate: (l) => /^\s{0,8}(?:ch|mk|rm|cp|mv|ln|to|in)/.test(l), re: /^\s{0,8}(?:chmod|chown|chgrp|mkdir|rmdir|rm|cp|mv|ln|touch|install): [^\n]{1,300}: (?:Operation not permitted|Permission denied|Read-only file system|No such file or directory|No space left on device|Not a directory|Is a directory|File exists|Directory not empty)\s{0,4}$/ },
  // PostgreSQL's client programs since 12 print a level (`progname: error: `), also after the step
  // initdb was printing: `fixing permissions on existing directory /var/lib/postgresql/data ... initdb:
  // error: could not change permissions of directory "...": Operation not permitted`. The older
  // level-less `initdb: could not ...` is left to the bare-message rule (quoted after "it says", it is chat).
  { gate: (l) => l.includes(': error: ') || l.includes(': fatal: '), re: /(?:^\s{0,8}|\.\.\. )(?:initdb|pg_ctl|pg_dump|pg_dumpall|pg_restore|pg_basebackup|pg_upgrade|pg_rewind|createdb|dropdb|createuser|dropuser|vacuumdb|reindexdb|pgbench): (?:error|fatal): / },
  // The server log's STATEMENT line, which PostgreSQL writes only under a message at or above
  // log_min_error_statement (ERROR by default), also in inline code and behind what log_line_prefix
  // leaves once normalise has taken the time off: `gotosocial@gotosocial STATEMENT:  INSERT INTO ...`.
  { gate: (l) => l.includes('STATEMENT:  '), re: /^\s{0,8}`?(?:[A-Z]{2,5} |[\w.-]{1,63}@[\w.-]{1,63} )?STATEMENT: {2}\S/ },
  // Flyway's error summary under a failed migration, one `Name : value` field a line: `SQL State  : 23505`,
  // `Error Code : 0`, `Message    : ERROR: duplicate key ...` (FlywaySqlScriptException, any JDBC database).
  { gate: (l) => l.includes('SQL State'), re: /^\s{0,8}SQL State {1,4}: (?:[0-9A-Z]{5}|null)\s{0,4}$/ },
  // structlog's `dict_tracebacks` in a JSON log record: `"exception": [{"exc_type": "ConnectionInterrupted",
  // "exc_value": "...", "frames": [...]}]`, on one line or pretty-printed.
  { gate: (l) => l.includes('"exc_type"'), re: /"exc_type"\s{0,4}:\s{0,4}"[A-Za-z_][\w.]{0,200}"/ },
  // An HTTP error body as a program prints it: a JSON `{"error": "..."}` at the head of a line, also
  // inside the bytes repr `print(response.content)` shows (`b'{"error":"QueuePool limit ..."}\n'`);
  // and the JSend body `{'status': 'error', 'message': ...}` wherever a logger put it
  // (`JSON response: {'status': 'error', 'message': 'QueuePool limit ...', 'data': {}}`).
  { gate: (l) => l.includes('error'), re: /^\s{0,8}(?:b')?\{\s{0,4}"errors?"\s{0,4}:\s{0,4}["{[]|\{\s{0,4}['"]status['"]\s{0,4}:\s{0,4}['"](?:error|fail)['"]\s{0,4},\s{0,4}['"](?:message|data|code)['"]\s{0,4}:/ },
  // redis-py's socket errors as `print(e)` or a logger's `%s` shows them, without the class:
  // `Error while reading from socket: (104, 'Connection reset by peer')`, `Error 32 while writing to
  // socket. Broken pipe.`, also behind a print's own label (`Error: Error while reading from socket: (...)`).
  // Not when the line is a sentence about it (chat words, a question).
  { gate: (l) => l.includes(' socket') && !CHAT_WORDS.test(l) && !/\?\s{0,8}$/.test(l), re: /^\s{0,8}(?:Error:? )?Error (?:\d{1,5} )?while (?:reading from|writing to) (?:the )?socket[.:] \S/ },
  // Celery's worker line once its `[ts: ERROR/MainProcess] ` prefix is gone (copied without it, or a
  // handler that logs the message alone): `consumer: Cannot connect to redis://redis:6379/0: Error -3 ...`.
  { gate: (l) => l.includes('consumer: Cannot connect to '), re: /^\s{0,8}consumer: Cannot connect to [a-z+]{2,20}:\/\// },
  // uvicorn's access-log line for a request that failed, once normalise has taken `INFO:` off:
  // `127.0.0.1:51234 - "POST /items/ HTTP/1.1" 422 Unprocessable Entity` (client address, then the
  // request line, the status and its reason phrase, as only uvicorn prints it).
  { gate: (l) => l.includes('" 4') || l.includes('" 5'), re: /^\s{0,8}(?:[\w.-]{1,80}|\[[\w:.]{1,60}\]):\d{1,5} - "[A-Z]{3,7} [^"\s]{1,2000} HTTP\/\d(?:\.\d)?" [45]\d\d [A-Z]/ },
  // PgBouncer's log before 1.8, `<pid> <LEVEL> <message>` once normalise has taken the time off:
  // `27782 WARNING C-0x74d9a0: (nodb)/(nouser)@127.0.0.1:48680 Pooler Error: No such database: josh`,
  // `29835 WARNING server login failed: FATAL database "x" does not exist`.
  { gate: (l) => /^\d/.test(l), re: /^\d{1,10} (?:WARNING|ERROR|FATAL|LOG|NOISE|DEBUG) (?:[CS]-0x[0-9a-f]{1,16}: |server login failed: )/ },
  // `print(type(e))` or a handler's `%s` of the class alone on its line, Django's old 500 page
  // header too: `<class 'django.db.utils.ProgrammingError'>` above the message.
  { gate: (l) => l.includes("<class '"), re: /^\s{0,8}<class '[\w.]{1,200}'>\s{0,4}$/ },
  // The server's DETAIL line for a constraint, retyped or logged with one space after the colon, or as
  // pgJDBC prints it under its exception: `DETAIL: Failing row contains (1, null).`, `  Detail: Key (email)=(a@b.c) already exists.`
  { gate: (l) => l.includes('DETAIL:') || l.includes('Detail:'), re: /^\s{0,8}(?:DETAIL|Detail): {1,2}(?:Failing row contains \(|Key \([^)\n]{1,200}\)=\()/ },
  // Django's debug page title, the exception class and the request path alone on a line:
  // `OperationalError at /admin/`, `ProgrammingError at /api/items/`.
  { gate: (l) => l.includes(' at /'), re: /^\s{0,8}[A-Z]\w{0,60}(?:Error|Exception|DoesNotExist|Violation) at \/\S{0,500}\s{0,4}$/ },
  // pytest's header of one failed test in its FAILURES / ERRORS section, which pytest prints nowhere
  // else: `_____ TestOutput.test_output _____`, `_____ test_timer_reset _____`. pytest
  // 8.4 puts a failure's message right under it with no `E` prefix (`async def functions are not
  // natively supported.`), so the header is the only mark of output left.
  { gate: (l) => l.startsWith('___'), re: /^_{3,200} [\w.:/-]{1,300}(?:\[[^\]\n]{0,200}\])? _{3,200}\s{0,4}$/ },
  // A SQL client's error grid copied as text, tab-separated (tabs are four spaces once normalised): the
  // row number, the SQLSTATE and the server's message, `1<TAB>42P01<TAB>relation "x" does not exist`.
  { gate: (l) => /^\s{0,8}\d/.test(l), re: /^\s{0,8}\d{1,6}(?: {4}){1,2}(?:[0-9][0-9A-Z]|HV|P0|XX|F0)[0-9A-Z]{3}(?: {4}){1,2}[a-z]/ },
];

// PostgreSQL / libpq / CLI tools print errors under a severity prefix at line start.
const SERVER_ERROR_LINE = /^(?:(?:FATAL|ERROR|PANIC):\s|psql: error:|error: |fatal: )/;


/** Lines scanned for output marks: the head and tail of a long log hold them. */
const MAX_LINES_SCANNED = 400;

function scannedLines(parsed: ParsedPaste): readonly string[] {
  const { lines } = parsed;
  return lines.length > MAX_LINES_SCANNED ? [...lines.slice(0, MAX_LINES_SCANNED / 2), ...lines.slice(-MAX_LINES_SCANNED / 2)] : lines;
}

/**
 * The record's type is the first thing on its line (after indentation, pytest's `E` or
 * `FAILED path - `, or an inline-code backtick), followed by `:` or nothing: `Type: message` as Python prints it.
 */
function isTypeAtHead(line: string, type: string): boolean {
  const body = line.replace(/^\s{0,8}/, '').replace(/^`\s{0,4}/, '').replace(/^E {1,64}/, '').replace(/^(?:FAILED|ERROR) \S{1,1000}? - /, '');
  return type !== '' && body.startsWith(type) && (body.length === type.length || body[type.length] === ':');
}

/**
 * An issue title: the exception line, then a dash and the poster's question
 * (`OperationalError: could not connect to server - any ideas?`, `...: result type - how to handle?`).
 * A program's message does not end by asking how to handle itself.
 */
function asksAfterDash(line: string): boolean {
  return /\?\s{0,8}$/.test(line) && /\s[-–—]\s{1,3}(?:how|why|what|any|anyone|is|are|can|should|help|solution|workaround|fix)\b[^-–—\n]{0,60}\?\s{0,8}$/i.test(line);
}

/**
 * Is this text error output, as a program prints it, rather than chat that mentions an error?
 * Output means a traceback (frames), a warning line, an exception line that starts its line
 * (`sqlalchemy.exc.MissingGreenlet: ...`), a log record at an error level, a PostgreSQL
 * ERROR/FATAL line, or one of the output marks above. "anyone seen `MissingGreenlet`?" and
 * "why do I get greenlet_spawn has not been called when ..." are chat: the bot answers them only
 * when asked, and never records them.
 */
export function looksLikeErrorOutput(parsed: ParsedPaste, errorLevel: readonly boolean[] = []): boolean {
  const fromRecords = parsed.records.some((r) => {
    // An error quoted in a sentence is diagnosed when asked, never taken for the output itself.
    if (r.quoted) return false;
    if (r.frames.length > 0 || r.kind === 'warning') return true;
    if (errorLevel[r.lineIndex] === true) return true;
    const line = (parsed.lines[r.lineIndex] ?? '').trimEnd();
    return r.kind === 'exception' ? isTypeAtHead(line, r.type) && !asksAfterDash(line) : SERVER_ERROR_LINE.test(line);
  });
  if (fromRecords) return true;
  const lines = scannedLines(parsed);
  // A V8 stack frame (Node.js crashes, other stacks' output: recorded as unmatched errors).
  if (lines.some((line) => OUTPUT_MARKS.some(({ gate, re }) => gate(line) && re.test(line)) || isJsFrameLine(line))) return true;
  return repeatsLikeALog(lines, parsed);
}

/**
 * Does the paste show one of the shapes that count as output once the engine matched a
 * catalogued fault in it (MATCHED_OUTPUT_MARKS)? Read from the same lines as looksLikeErrorOutput.
 */
export function showsMatchedOutput(parsed: ParsedPaste): boolean {
  const lines = scannedLines(parsed);
  return lines.some((line) => {
    const bare = withoutRemark(line);
    return MATCHED_OUTPUT_MARKS.some(({ gate, re }) => (gate(line) && re.test(line)) || (bare !== line && gate(bare) && re.test(bare)));
  });
}

/**
 * An output line without the remark a poster added behind it in a shell session or a log,
 * a comment with an arrow: `chmod: ...: Operation not permitted # <== Is this right ?`,
 * `ERROR ... <-- this one`. The line is read both ways.
 */
function withoutRemark(line: string): string {
  if (!line.includes('<=') && !line.includes('<-')) return line;
  const m = /\s{1,8}(?:#\s{0,4})?<(?:={1,4}|-{1,4})[^\n]{0,300}$/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

/**
 * A retry loop's log: the same line, naming an error the paste's records hold, three times or
 * more (`retrying connection Can't reconnect until invalid transaction is rolled back ...`).
 * People do not write the same sentence three times.
 */
function repeatsLikeALog(lines: readonly string[], parsed: ParsedPaste): boolean {
  const seen = new Map<string, number>();
  for (const line of lines) {
    const key = line.trim();
    if (key.length < 20) continue;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n >= 3 && parsed.records.some((r) => !r.quoted && r.message !== '' && key.includes(firstLineOf(r.message)))) return true;
  }
  return false;
}

function firstLineOf(message: string): string {
  const nl = message.indexOf('\n');
  return (nl < 0 ? message : message.slice(0, nl)).trim();
}

// Words people use in chat and library messages do not: pronouns, greetings, "getting",
// "keeps", "any idea". Kana and Hangul: the libraries in the catalogue print their errors in
// English, so a line in Japanese or Korean script is someone writing about the error.
const CHAT_WORDS = /\b(?:I|I'm|I've|I'd|[Mm]e|[Mm]y|[Ww]e|[Ww]e're|[Ww]e've|[Oo]ur|[Uu]s|[Aa]nyone|[Aa]nybody|[Ss]omeone|[Ss]omebody|guys|folks|[Hh]ey|[Hh]i|[Tt]hanks|idea|getting|seeing|keeps?|says|said|happens|whenever)\b|[\u3040-\u30ff\uac00-\ud7a3]/;

/** The word "error" (English, Portuguese, French, Italian, German) and a colon, before a printed message. */
const ERROR_LABEL = /^(?:[Ee]rr(?:or|o|eur|ore)?|ERR(?:OR)?|[Ff]ehler|FEHLER)\s?:\s{0,2}/;

/** A fuzzy match is a pasted message only when catalogue phrases make up most of the line. */
const MIN_PHRASE_COVERAGE = 0.5;

/**
 * A line ending in "?" is a question, unless its last sentence is the error's own (MissingGreenlet
 * ends "Was IO attempted in an unexpected place?"): the fault's catalogue phrases say which. A
 * lone name before the "?" (`fastapi.exceptions.ResponseValidationError ?`) is no message's
 * sentence: it asks about that class, whatever phrase holds the name.
 */
function isQuestion(line: string, phrases: readonly string[]): boolean {
  if (!/\?\s{0,8}$/.test(line)) return false;
  const tail = (line.split(/[.;:!]\s/).pop() ?? '').replace(/\?\s{0,8}$/, '').trim().toLowerCase();
  return tail.length < 10 || isLoneName(tail) || !phrases.some((p) => p.toLowerCase().includes(tail));
}

/** One identifier or dotted name and nothing else (`pkg.mod.ClassName`). */
function isLoneName(text: string): boolean {
  return /^[a-z_][\w.]{0,200}$/i.test(text);
}

/**
 * A pasted error message without its type (`is not bound to a Session; lazy load operation of
 * attribute 'items' cannot proceed`, a truncated `statement on table 'seats' expected to update
 * 1 row(s); 0 were matched.`), told from a sentence about it ("lol the new hire hit `Textual SQL
 * expression should be ...` on day one") by: no chat words, not a question, and
 * - exact evidence: a signature matched from the line's first characters (`position`); a library
 *   error code alone (a lone background link after "all it says is") is not a message;
 * - fuzzy evidence: catalogue phrases of the fault, present word for word, make up most of the line.
 */
export function isBareErrorMessage(line: string, evidence: { position: number; exact: boolean; phrases: readonly string[] }): boolean {
  // Links are not words: `sqlalche.me/e/20/xd2s` holds a "me".
  const text = line.replace(/\bhttps?:\/\/\S{1,2000}/g, ' ').trim();
  if (CHAT_WORDS.test(text) || isQuestion(text, evidence.phrases)) return false;
  // The message may sit behind the one word a print or a report put before it (`erro: Not an
  // executable object: "..."`, `Error: QueuePool limit ...`): it is still matched from its head.
  if (evidence.exact) return evidence.position <= 2 + (ERROR_LABEL.exec(text)?.[0].length ?? 0);
  const lower = text.toLowerCase();
  const covered = Math.max(0, ...evidence.phrases.filter((p) => lower.includes(p.toLowerCase())).map((p) => p.length));
  return text.length > 0 && covered / text.length >= MIN_PHRASE_COVERAGE;
}

/** Code blocks read for a lone message: a paste's blocks are few and short; a bound keeps this linear. */
const MAX_FENCED_BLOCKS = 20;
const MAX_FENCED_CHARS = 4000;

/**
 * Is this line the whole content of a Markdown code block (one or two lines between fences), as a
 * poster pastes the message a program printed: "We are seeing Redis errors such as" + a block with
 * `OOM command not allowed when used memory > 'maxmemory'`? A sentence is not put in a code block;
 * a block that holds the message alone is the output, whatever words the message starts with.
 * Read from the raw text, since normalising takes the fences off. Chat words or a question in
 * the line still make it chat.
 */
export function isFencedMessage(raw: string, line: string): boolean {
  const want = line.trim();
  if (want.length < 8 || !raw.includes('```') || CHAT_WORDS.test(want) || /\?\s{0,8}$/.test(want)) return false;
  const parts = raw.split('```', MAX_FENCED_BLOCKS * 2 + 1);
  for (let i = 1; i < parts.length - 1; i += 2) {
    // The block's language tag sits on the fence's line (```bash).
    const part = parts[i] ?? '';
    // One or two lines of output: a longer block is not read (and not split).
    if (part.length > MAX_FENCED_CHARS) continue;
    const body = part.replace(/^[a-zA-Z0-9_+-]{0,20}\n/, '');
    const lines = body.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length >= 1 && lines.length <= 2 && lines.includes(want)) return true;
  }
  return false;
}

