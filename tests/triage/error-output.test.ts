import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleCases, readCorpus } from '../../bot/kb/evaluate.js';
import { worthDiagnosing } from '../../bot/listeners/thread-reply.js';
import { isRecordable } from '../../bot/store/occurrences.js';
import { loadKnowledge } from '../../bot/kb/load.js';
import { isBareErrorMessage, showsMatchedOutput } from '../../bot/triage/error-output.js';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { parsePaste } from '../../bot/triage/parse.js';
import { CHAT } from '../chat/corpus.js';
import { shippedEngine } from '../helpers.js';

// Unasked replies are for error output, never for chat that names an error. The chat corpus
// (tests/chat/mentions.jsonl) is messages as people write them in channels: questions, "anyone
// seen X?", links to errors, half-sentences with the exception in backticks, Japanese.
const engine = shippedEngine();
const positives = [...exampleCases(loadKnowledge().faults), ...readCorpus(join(import.meta.dirname, '..', 'corpus'))].filter((c) => c.expect !== null);

describe('chat that mentions an error', () => {
  it('is a varied corpus of at least 60 messages, some in Japanese, many naming a catalogued fault', () => {
    expect(CHAT.length).toBeGreaterThanOrEqual(60);
    expect(CHAT.filter((c) => c.lang === 'ja').length).toBeGreaterThanOrEqual(10);
    expect(new Set(CHAT.map((c) => c.style)).size).toBeGreaterThanOrEqual(10);
    expect(CHAT.filter((c) => /https?:\/\//.test(c.text)).length).toBeGreaterThanOrEqual(4);
    // The corpus is a real test only if the engine would recognise the faults it names.
    expect(CHAT.filter((c) => engine.diagnose(c.text).match !== null).length).toBeGreaterThanOrEqual(30);
  });

  it('never gets an unasked reply and is never recorded', () => {
    const answered = CHAT.filter((c) => {
      const d = engine.diagnose(c.text);
      return worthDiagnosing(d, false) || isRecordable(d);
    }).map((c) => c.text);
    expect(answered).toEqual([]);
  });

  it('is still answered when someone asks (a mention, a DM, the slash command)', () => {
    const d = engine.diagnose('why do I get greenlet_spawn has not been called when I access user.orders in a FastAPI route?');
    expect(d.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(worthDiagnosing(d, true)).toBe(true);
  });
});

describe('real pastes in the accuracy corpora', () => {
  // Output a blind round brought whose unasked decision is still wrong, each with why it is not
  // fixed yet. The list must match exactly: a fix takes its line off, and any other line that
  // goes wrong fails the test.
  const KNOWN_UNASKED_MISSES: Record<string, string> = {
    'blind-alembic-pytest-asgi.jsonl:419': "round 18 first run: `output:   FAILED: No 'script_location' key found in configuration.` (a PR description's label before alembic's output on the same line) is diagnosed right but not read as output",
    'blind-drivers-sqlalchemy.jsonl:358': "round 18 first run: Phoenix's UI line `Error fetching GraphQL query ...: [{\"message\":\"QueuePool limit ...` (SQLAlchemy's message inside a GraphQL error JSON) is diagnosed right but not read as output",
    'blind-http-queues-containers-django.jsonl:490': "round 18 first run: Home Assistant's log-viewer card (`Logger: homeassistant / Source: (unknown) / Error doing job: Unclosed client session (task: None)`) is diagnosed right but not read as output",
    'blind-http-queues-containers-django.jsonl:492': "gaps21 (after round 18), diagnosed once Redis < 2.8's `ERR Operation against a key holding the wrong kind of value` is read: the reply sits in webdis' JSON (`{\"GET\":[false,\"ERR ...\"]}`) under the poster's `curl` line and `And I do`; a message inside a JSON string is not read as output (drivers:358 is the same shape)",
    'blind-postgres-b.jsonl:251': "round 18 first run, diagnosed once libpq's Windows socket error (`Connection refused (0x0000274D/10061)`) is read in any language: the Japanese psql lines are a diff's `> ` lines inside a Perl result dump (a closing `',` kept) and the reply gate does not read them as output (error-output.ts, left to the engine helper)",
    'blind-postgres-b.jsonl:254': "round 18 first run, labelled chat: an issue title that is lib/pq's exact line (`pq: remaining connection slots ...`) over one sentence is answered unasked; that is the shape of a user pasting the line and remarking under it",
    'blind-http-queues-containers-django.jsonl:78': "relabelled to redis.connection-refused on 2026-12-04 (it was a near-miss while no fault read a Redis refusal): an issue title that is the app's own log message (`Failed to connect redis: ` + redis-py's `Error -2 connecting to redis:6379. Name or service not known.`) with no level, class, logger or frame; a message alone with nothing that marks it as output is not answered unasked",
    'blind-http-queues-containers-django.jsonl:334': 'round 7: `kubectl get pods -A` rows with their header trimmed; no second real paste of a header-less listing found yet',
    'blind-alembic-pytest-asgi.jsonl:131': "gaps18 (after round 14), diagnosed once pytest-asyncio's loop-fixture ScopeMismatch words are read without the class: the words sit in the issue title's sentence (`1.1.0: Session fixture with ... yields `You tried to access ...``) under pytest's session header, whose only result is `test_foo.py::test_foo ERROR`; the record is a quote inside a sentence, so the reply waits to be asked (an unasked reply to a quote in prose is the near-miss the gate exists for)",
    'blind-drivers-sqlalchemy.jsonl:245': "round 8: Chainlit's UI toast `An error occurred: QueuePool limit ...`, the message behind an app's generic label (not the one word a print puts first); no second real paste of that label before a catalogued message found yet",
    'blind-http-queues-containers-django.jsonl:340': "round 8: a Sentry raw-event JSON whose `message` field holds celery's log text with escaped newlines and whose level sits in a `tags` pair split over lines; no second real paste of a raw Sentry event found yet",
    'blind-postgres-a.jsonl:205': 'round 10: a PR description retyping production logs in a code block (`asyncpg InvalidColumnReferenceError: ...` hard-wrapped, then `at db/store/x.py  (INSERT ... ON CONFLICT)`): no program prints the library name, a space, then the class, nor that `at` line; it cannot be told from a sentence-like summary, so it is not read as output',
    'blind-http-queues-containers-django.jsonl:366': "round 10, labelled chat: a maintainer's comment whose first line is the exact exception line in inline code, then one sentence; that is the shape of a user pasting the line and remarking under it (a paste with a question under it counts as a paste), so it cannot be told apart",
    'blind-http-queues-containers-django.jsonl:381': 'round 11, labelled chat: a Chinese article with the exact exception line (`httpx.ConnectTimeout: timed out while connecting`) alone on its line between Chinese sentences; a Chinese report pasting the line it got has the same shape (`报错：` + an exception line is output), so it cannot be told apart',
    'blind-postgres-b.jsonl:201': "round 11, labelled chat: a Japanese troubleshooting page with psql's `FATAL: password authentication failed ...` alone on its line under `エラーメッセージ`; a Japanese report pasting the line it got has the same shape, so it cannot be told apart",
    'blind-postgres-b.jsonl:199': "round 11, labelled chat: a bug report whose code block holds PostgreSQL's bare `too many clients already` alone; a user pasting the one line they got has the same shape, so it cannot be told apart",
    'blind-alembic-pytest-asgi.jsonl:328': "round 12: alembic's `LEVEL [logger]` lines quoted in Markdown with a stray backtick glued to the level (`> ERROR` [root] Error: Can't locate revision ...`); without the backtick the line is read. No second real paste with backticks in the level found (issues: alembic `INFO  [alembic.runtime.migration] ... ERROR [root] Error: Can't locate revision`; exact strings `INFO`  [alembic`, `> ERROR [root] Error: Can't locate revision`: the quoted lines found have no backtick)",
    'blind-postgres-a.jsonl:210': "round 12: an authentik structlog record as a log viewer shows it, the level first then a bar and key=value pairs (`warning | domain_url=null event=Task failure exc=OperationalError('deadlock detected\\nDETAIL: ...')`); the only other paste of the shape found is the next line of the same comment (`ERR | event=Task ... raised unexpected: OperationalError(...)`). Queries: issues `authentik event=Task failure exc= logger=authentik.root.celery`, `event=Task failure exc=OperationalError( logger= pid= task_id=`; exact strings `error | event=`, `warning | event=` (only log format strings in code)",
    'blind-alembic-pytest-asgi.jsonl:345': "round 13, labelled chat: a Mongolian issue whose one sentence (\"this error appears when I try to start the Docker image\") sits over a code block holding uvicorn's `ERROR:    Error loading ASGI app. ...` alone; a user pasting the line they got under a sentence in their language has the same shape (the rule of blind-postgres-b:199 and :201), so it cannot be told apart",
    'blind-alembic-pytest-asgi.jsonl:351': "round 13, labelled chat: a PR description whose code block holds pydantic's `UserWarning: Valid config keys have changed in V2: ...` alone, between sentences (\"I found the above warning while running a FastAPI app\"); a report pasting the warning it got between sentences has the same shape, so it cannot be told apart",
    'blind-http-queues-containers-django.jsonl:410': "round 13, labelled chat: an issue whose sentence (\"is displaying the following error when container runs:\") introduces the exact log line `exec /init: exec format error` in inline code alone on its line; that is the shape of a user pasting the line they got (the rule of blind-http:366), so it cannot be told apart",
    'blind-postgres-a.jsonl:226': "round 13, labelled chat: `异常` (exception) glued before PostgreSQL's bare `value too long for type character varying(256)`, the whole problem description of a Chinese report; one label word before a message is read as a pasted message (`Error: QueuePool limit ...`, `erro: ...`), and a Chinese report labelling the message it got has the same shape (the rule of blind-http:381), so it cannot be told apart",
    'blind-http-queues-containers-django.jsonl:403': "round 13, diagnosed once gaps17 read aiohttp's class-less wording: TrueNAS's app-log viewer glues its own timestamp to the container's loguru line (`...22.307225+00:002025-09-10 11:16:22.307 | ERROR    | open_webui...`); the loguru line alone, or with a space after the timestamp, is read as output; no second real paste of the glued timestamp found (issues searched for TrueNAS app and container log timestamps)",
    'blind-alembic-pytest-asgi.jsonl:352': "round 14, labelled chat: alembic's CommandError line quoted with `> ` under 'Below is information of error:'; a user pasting the line they got under that sentence has the same shape, so it cannot be told apart",
    'blind-http-queues-containers-django.jsonl:419': "round 14, labelled chat: a reply quoting celery's `Received unregistered task of type ...` with `> ` above a sentence; a user quoting their own worker's line has the same shape, so it cannot be told apart",
    'blind-http-queues-containers-django.jsonl:425': "round 14: the VS Code Docker extension's error report (`Action: ... / Error type: 500 / Error Message: (HTTP code 500) server error - ...`), a label-per-line report of its own; no second real paste of it found yet",
    'blind-drivers-sqlalchemy.jsonl:320': "round 15, labelled chat: a luigi issue's sentence over SQLAlchemy's `sqlalchemy.exc.TimeoutError: QueuePool limit ...` line retyped in inline code alone on its line; a user pasting the line they got under a sentence has the same shape (the rule of blind-http:366), so it cannot be told apart",
    'blind-http-queues-containers-django.jsonl:437': "round 15: an exploit script's own trace of raw RESP bytes (`>> receive data: b'-NOAUTH Authentication required.\\r\\n'`), a format of one script; no second real paste of it found yet",
    'blind-http-queues-containers-django.jsonl:449': "round 15: aiohttp's class and message joined by a space (`ClientConnectorError Cannot connect to host ...`) under `I'm running into the below error`, the shape of an app logging `f\"{name} {e}\"` or of a retyping; no second real paste of it found yet",
    'blind-alembic-pytest-asgi.jsonl:384': "round 16: Dify's plugin-daemon report (`An error occurred in the currently running plugin ... error type: PydanticSerializationError, error details: ...`), a label-per-line format of one application; no second real paste of it found yet",
    'blind-drivers-sqlalchemy.jsonl:335': "round 16: Rich's boxed traceback with show_locals, the error visible only as a local's repr inside the box (`sqlalchemy_exception = InternalError('(psycopg2.errors.InFaile…`); no second real paste with the error only in a locals panel found yet",
    'blind-http-queues-containers-django.jsonl:455': "round 16, labelled chat: an issue bullet ('logs the following error:') over Open WebUI's log line in inline code alone on its line; a user pasting the line they got under a sentence has the same shape (the rule of blind-http:366), so it cannot be told apart",
    'blind-postgres-a.jsonl:248': "round 16, labelled chat: 'I'm encountering a PostgreSQL connection error with the message:' followed by pgx's whole message on the same line; a user pasting the message they got after a colon has the same shape (the rule of blind-postgres-a:226), so it cannot be told apart",
    'blind-alembic-pytest-asgi.jsonl:395': "round 17, labelled chat: a sentence quoting flask-migrate's whole log line (`ERROR [flask_migrate] Error: Can't locate revision ...`) with its level and logger; a user pasting the line they got inside their sentence has the same shape (the rule of blind-postgres-a:248), so it cannot be told apart",
    'blind-drivers-sqlalchemy.jsonl:345': "round 17, labelled chat: 'we sometimes get:' over SQLAlchemy's message alone on its line; a user pasting the message they got under a sentence has the same shape (the rule of blind-http:366), so it cannot be told apart",
    'blind-drivers-sqlalchemy.jsonl:347': "round 17, labelled chat: an issue title that is an exception line whole but for the poster's placeholders (`wifi_shard_N`, `X rows; Y were matched`); a title that is a pasted line reads as output (round 11's relabel), and placeholders cannot be told from values, so it cannot be told apart",
    'blind-postgres-b.jsonl:248': "round 17, labelled chat: a Japanese article's sentence over libpq's message alone on its line; a Japanese report pasting the line it got has the same shape (the rule of blind-postgres-b:201), so it cannot be told apart",
    'blind-alembic-pytest-asgi.jsonl:430': "round 19 first run, labelled chat: a sentence ('lead to an exception being logged in the console :') over pydantic's whole exception line quoted with `> `; a user quoting the line they got under that sentence has the same shape (the rule of blind-alembic:352), so it cannot be told apart",
    'blind-drivers-sqlalchemy.jsonl:377': "round 19 first run, labelled chat: 'I end up with an error saying ...' over SQLAlchemy's whole exception line in inline code alone on its line; a user pasting the line they got under a sentence has the same shape (the rule of blind-drivers:320), so it cannot be told apart",
    'blind-http-queues-containers-django.jsonl:500': "round 19 first run, labelled chat: a Chinese sentence over runc's whole `standard_init_linux.go:211: exec user process caused \"exec format error\"` line in inline code; a report pasting the line it got has the same shape (the rule of blind-http:381), so it cannot be told apart",
    'blind-http-queues-containers-django.jsonl:503': "round 19 first run: abctl's deploy report (` WARNING  Encountered an issue deploying Airbyte:` over indented `Reason: Failed / Message: Error: ImagePullBackOff` and `Back-off pulling image` warnings) is diagnosed right but not read as output; a format of one installer, no second real paste of it found yet",
    'blind-postgres-a.jsonl:179': "round 7: journald lines whose host the poster cut (`Oct 22 09:46:00 ejabberdctl.sh[419265]:`), so the prefix is not read and the `[error]` record under it is not seen; no second real paste of that shape found yet",
  };

  it('are every one answered unasked, except those labelled as chat quoting the error', () => {
    const missed = positives.filter((c) => {
      const d = engine.diagnose(c.text);
      return d.match?.id === c.expect && worthDiagnosing(d, false) === Boolean(c.chat);
    });
    expect(missed.map((c) => c.origin).sort()).toEqual(Object.keys(KNOWN_UNASKED_MISSES).sort());
  });

  it('label only a few positives as chat, and those are still diagnosed', () => {
    // "A few": at most 5% of the positives (the catalogue and its corpora grow; 20 of ~640 when
    // this was a fixed 20). It was 2% until the per-family blind corpora took in pastes from
    // GitHub threads as posted, issue titles and PR sentences quoting the error among them (44 of
    // 1,700 labelled chat, each read as a sentence, not output); 3% and then 4% until the third
    // and fourth blind rounds sampled titles and prose on purpose (19 of round 3's 190 lines and 21
    // of round 4's 145 are sentences). More than that would mean output the engine fails to
    // recognise is being waved through as chat. 5% until round 5, whose collectors labelled 35 of
    // their 146 lines as titles or sentences before any run; 6% until rounds 10 and 11, whose
    // collectors labelled 27 of their 92 lines as titles or sentences before any run (18 of round
    // 11's 40: full pastes from unused threads had grown scarce); 7% until rounds 12 to 14, whose
    // collectors labelled 15 of their 172 lines as titles or sentences before any run (182 of 2,599
    // positives, one over 7%); now 8%. Labels added after seeing the
    // engine's answer are the ones that could hide a miss: each says so in its note ("after
    // review"), and they stay under 1% of the positives.
    const chat = positives.filter((c) => c.chat);
    expect(chat.length).toBeLessThanOrEqual(Math.floor(positives.length * 0.08));
    const afterReview = chat.filter((c) => /after review|relabel/.test(c.note ?? ''));
    expect(afterReview.length).toBeLessThanOrEqual(Math.floor(positives.length * 0.01));
    // A chat label is no place to park a miss: every label added after seeing the engine's answer is
    // on a line the engine diagnoses right when asked. Lines the collectors labelled chat before any
    // run count in `npm run eval` like every other line, misses included.
    const parked = afterReview.filter((c) => engine.diagnose(c.text).match?.id !== c.expect).map((c) => c.origin);
    expect(parked).toEqual([]);
  });

  it("count Home Assistant's log panel as output, its header or not", () => {
    // The panel of one log entry (Settings > System > Logs) as copied, without the `Log Details (ERROR)`
    // header (adapted: the panel as posted, the issue template around it left out, from
    // https://github.com/home-assistant/core/issues/97827).
    const panel = [
      'Logger: homeassistant.components.esphome.dashboard',
      'Source: helpers/update_coordinator.py:262',
      'Integration: ESPHome (documentation, issues)',
      'First occurred: 00:39:23 (1 occurrences)',
      'Last logged: 00:39:23',
      '',
      "Error requesting ESPHome Dashboard data: Cannot connect to host 127.0.0.1:63261 ssl:default [Connect call failed ('127.0.0.1', 63261)]",
    ].join('\n');
    const d = engine.diagnose(panel);
    expect(d.match?.id).toBe('aiohttp.connector-error');
    expect(worthDiagnosing(d, false)).toBe(true);
    // The occurrence count is the panel's mark: the message under the other lines alone is not output.
    const withoutCount = panel.split('\n').filter((l) => !l.startsWith('First occurred')).join('\n');
    expect(engine.diagnose(withoutCount).errorOutput).toBe(false);
    // Nor is a sentence that names the panel's words.
    const chat = "HA's log says it first occurred at 00:39:23, any idea why the ESPHome dashboard says Cannot connect to host 127.0.0.1:63261 ssl:default?";
    expect(worthDiagnosing(engine.diagnose(chat), false)).toBe(false);
  });

  it('count the Warning rows of kubectl get events as output, not its Normal rows', () => {
    // `k get events --sort-by .metadata.creationTimestamp | grep ...` as posted, its header and first
    // three rows (adapted: cut after the first Warning row, from https://github.com/Azure/peerd/issues/34).
    const rows = [
      'LAST SEEN   TYPE      REASON                 OBJECT                                                         MESSAGE',
      '37m         Normal    SuccessfulCreate       daemonset/hcloud-csi-node                                      Created pod: hcloud-csi-node-9dxbr',
      '37m         Normal    Scheduled              pod/hcloud-csi-node-9dxbr                                      Successfully assigned kube-system/hcloud-csi-node-9dxbr to bjoerklin-io-md-0-k2lx7',
      '37m         Warning   Failed                 pod/hcloud-csi-node-9dxbr                                      Error: ErrImagePull',
    ];
    const d = engine.diagnose(rows.join('\n'));
    expect(d.match?.id).toBe('kubernetes.image-pull-backoff');
    expect(worthDiagnosing(d, false)).toBe(true);
    // The cluster working normally is not error output.
    expect(engine.diagnose(rows.slice(0, 3).join('\n')).errorOutput).toBe(false);
  });

  it('count pasted output with a question under it as a paste', () => {
    const text = '> sqlalchemy.exc.NoForeignKeysError: Could not determine join condition between parent/child tables on relationship Order.customer - there are no foreign keys linking these tables.\nthis is because the FK is on the wrong table right?';
    expect(engine.diagnose(text).errorOutput).toBe(true);
  });

  it('count a bracketed level behind a pictograph as output (written in jackal\'s format; no real error-level paste found)', () => {
    // Written: jackal's Go log format (its date, a pictograph, the level: ortuman/jackal#16 and #17 show it at
    // INF and DBG) at its error level, lib/pq's message behind the logger's ` - `.
    const jackal = '2018-03-30 17:27:42 💥 [ERR] storage/pgsql:88 - pq: relation "roster_items" does not exist';
    const d = engine.diagnose(jackal);
    expect(d.match?.id).toBe('postgres.undefined-table');
    expect(worthDiagnosing(d, false)).toBe(true);
    // The same logger at debug and info level is not error output (adapted: trimmed, from ortuman/jackal#16).
    expect(engine.diagnose('2018-03-30 17:27:41 ℹ️ [INF] c2s:121 - registered stream... (id: jackal1.security-enforced.de:11)\n2018-03-30 17:27:42 🔍 [DBG] stream:871 - RECV: <starttls xmlns="urn:ietf:params:xml:ns:xmpp-tls"/>').errorOutput).toBe(false);
    // Nor is a sentence that names the level.
    expect(worthDiagnosing(engine.diagnose('we see [ERR] pq: relation "roster_items" does not exist in the jackal log, any idea?'), false)).toBe(false);
  });

  it("count pytest's short test summary lines as output, also behind Nix's build-log prefix", () => {
    // A Nix build log, every line prefixed with the package name (adapted: two lines, from
    // https://github.com/NixOS/nixpkgs/issues/437272).
    const text = [
      'dooit> FAILED tests/test_ui/test_loader.py::test_loader - Failed: async def functions are not natively supported.',
      'dooit> FAILED tests/test_ui/test_search.py::test_search - Failed: async def functions are not natively supported.',
    ].join('\n');
    const d = engine.diagnose(text);
    expect(d.match?.id).toBe('pytest-asyncio.async-def-not-supported');
    expect(worthDiagnosing(d, false)).toBe(true);
    // The same words in a sentence are chat.
    const chat = 'on CI we get FAILED tests/test_ui/test_loader.py::test_loader - Failed: async def functions are not natively supported. any idea?';
    expect(worthDiagnosing(engine.diagnose(chat), false)).toBe(false);
  });

  it("count pytest's per-test failure headers as output once a fault matched", () => {
    // pytest 8.4's failures section for unhandled async tests: the message under each test's header
    // has no `E` prefix (adapted from https://github.com/NixOS/nixpkgs/issues/437058, trimmed).
    const text = [
      '_______________________ TestLeaves.test_workspace_leaves _______________________',
      'async def functions are not natively supported.',
      'You need to install a suitable plugin for your async framework, for example:',
      '  - anyio',
      '  - pytest-asyncio',
      '  - pytest-tornasync',
      '  - pytest-trio',
      '  - pytest-twisted',
      '____________________________ TestOutput.test_output ____________________________',
      'async def functions are not natively supported.',
      'You need to install a suitable plugin for your async framework, for example:',
      '  - anyio',
    ].join('\n');
    const d = engine.diagnose(text);
    expect(d.match?.id).toBe('pytest-asyncio.async-def-not-supported');
    expect(worthDiagnosing(d, false)).toBe(true);
    // The header alone, or under chat, earns nothing: it only corroborates a catalogued match.
    expect(engine.diagnose('______ test_login ______\nlooks like this one is flaky on CI, any idea?').errorOutput).toBe(false);
  });

  it("count the Home Assistant Supervisor's two-digit-year log lines at an error level as output", () => {
    // https://github.com/home-assistant/core/issues/83804 (the description's log line as posted) and
    // https://github.com/home-assistant/core/issues/103041 (a Supervisor INFO line of the same format, as posted).
    const error = `22-12-12 11:22:20 ERROR (SyncWorker_5) [supervisor.docker.interface] Can't install ghcr.io/home-assistant/raspberrypi4-homeassistant:2022.12.3: 500 Server Error for http+docker://localhost/v1.41/images/ghcr.io/home-assistant/raspberrypi4-homeassistant:2022.12.3/json: Internal Server Error ("readlink /var/lib/docker/overlay2: invalid argument")`;
    const info = '23-10-31 12:51:10 INFO (MainThread) [supervisor.resolution.check] System checks complete';
    expect(engine.diagnose(error).errorOutput).toBe(true);
    expect(engine.diagnose(info).errorOutput).toBe(false);
  });

  it('count container, Kubernetes and redis-cli output as error output, not sentences about it', () => {
    const output = [
      "docker: Error response from daemon: driver failed programming external connectivity on endpoint db (3b84): Bind for 0.0.0.0:5432 failed: port is already allocated.",
      'exec /usr/local/bin/docker-entrypoint.sh: exec format error',
      'standard_init_linux.go:207: exec user process caused "exec format error"',
      'failed to register layer: Error processing tar file(exit status 1): write /usr/lib/x.so: no space left on device',
      'dependency failed to start: container db-1 is unhealthy',
      "(error) WRONGTYPE Operation against a key holding the wrong kind of value",
      'worker-5f7d[2022-05-19 13:35:26,740: ERROR/MainProcess] consumer: Cannot connect to amqp://guest:**@queue:5672//: [Errno 111] Connection refused.',
      'hello-pod   0/1     ImagePullBackOff   0          2m55s',
      '    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137',
      // a tool's own field for the container status (Airflow's KubernetesExecutor log format)
      'Pod phase: Failed, reason: None, message: None, container_state: terminated, container_reason: OOMKilled, container_message: None',
      '  Warning  BackOff    21s (x50 over 10m)  kubelet  Back-off restarting failed container',
    ];
    for (const text of output) expect(engine.diagnose(text).errorOutput, text).toBe(true);
    const chat = ['anyone know why the pod shows ImagePullBackOff after the deploy?', 'docker says exec format error on my M1, any idea?'];
    for (const text of chat) expect(engine.diagnose(text).errorOutput, text).toBe(false);
  });
});

// Other runtimes' and PostgreSQL's own log formats, from the real pastes in
// tests/corpus/blind-postgres-b.jsonl (sources there): output, never chat.
describe('error output from other runtimes and from PostgreSQL logs', () => {
  const outputs = [
    'CET ERROR: invalid input syntax for type timestamp: "1364370721"',
    '2025-07-16 04:41:58.438 UTC [3251405] postgres@ch_oddb FATAL:  Verbindung wird abgebrochen aufgrund von Anweisung des Administrators',
    '2023-09-22 07:59:42 3566 ERROR  pgsql.c:1920              [TARGET 9899] ERROR:  cannot drop desired object(s) because other objects depend on them',
    ' org.postgresql.util.PSQLException: ERROR: could not extend file "base/488318210/534150832" with FileFallocate(): No space left on device',
    'Npgsql.PostgresException (0x80004005): 57P01: terminating connection due to administrator command',
    'SQLSTATE[42P18]: Indeterminate datatype: 7 FEHLER:  konnte Datentyp von Parameter $1 nicht ermitteln',
    '2020-01-31 21:00:29,509 - ERROR - query-exporter - query "x" on database "pg" failed: (psycopg2.errors.SyntaxError) syntax error at or near ":"',
    '**(Postgrex.Error) ERROR 42P10 (invalid_column_reference) there is no unique or exclusion constraint matching the ON CONFLICT specification**',
    'Error initializing storage of type postgresql: failed to check for native upsert: pq: pg_hba.conf rejects connection for host "10.0.0.1", user "vault", database "vault_db", no encryption',
    "ProgrammingError('(psycopg2.errors.DuplicateTable) relation \"csmi_idx1\" already exists\\n')",
    'SQL Error: invalid input syntax for type timestamp with time zone: "Tue Sep 26 2017"',
  ];
  it.each(outputs)('reads as output and is answered unasked: %s', (text) => {
    const d = engine.diagnose(text);
    expect(d.errorOutput).toBe(true);
    expect(worthDiagnosing(d, false)).toBe(true);
  });
  it('still leaves chat that quotes the same words alone', () => {
    for (const text of [
      'anyone seen "ERROR: invalid input syntax for type timestamp" when importing?',
      'we get pq: pg_hba.conf rejects connection since the RDS change, any idea?',
    ]) expect(worthDiagnosing(engine.diagnose(text), false), text).toBe(false);
  });
  it("leaves psql's two-space ERROR alone when a sentence quotes it, and still reads the line psql printed", () => {
    // metasfresh/metasfresh's database init script, a comment quoting pg_restore's error word for word.
    const quoted = '# running without "--exit-on-error" because with our current dumps we get "ERROR:  schema "public" already exists"';
    expect(engine.diagnose(quoted).errorOutput).toBe(false);
    // oliverw/miningcore#1531: the line psql printed, as posted.
    const printed = 'ERROR:  relation "shares" does not exist';
    expect(engine.diagnose(printed).errorOutput).toBe(true);
    expect(engine.diagnose(`CREATE TABLE shares_mypool PARTITION OF shares FOR VALUES IN ('radiant_mypool');\n\n${printed}`).errorOutput).toBe(true);
  });
});

// Shapes that count as output once a catalogued fault matched (MATCHED_OUTPUT_MARKS in
// bot/triage/error-output.ts), each read from a real paste in a public thread other than the
// blind-corpus line it was written for (source per case; long lines trimmed).
describe('output shapes that corroborate a catalogued match', () => {
  const reads = (text: string): boolean => showsMatchedOutput(parsePaste(normaliseInput(text), engine.index.knownTypes));
  const shapes: [string, string][] = [
    // asyncio's exception-handler context lines under aiohttp's warnings.
    ['https://github.com/aio-libs/aiohttp/issues/3242', 'Unclosed client session\nclient_session: <aiohttp.client.ClientSession object at 0x03972C70>'],
    ['https://github.com/apecloud/ApeRAG/issues/277', "connections: ['[(<aiohttp.client_proto.ResponseHandler object at 0x7fc157bce320>, 3447611.66)]']\nconnector: <aiohttp.connector.TCPConnector object at 0x7fc157b71720>"],
    // Flyway's error summary of a failed migration, its first three fields (adapted: trimmed).
    ['https://github.com/CeON/fairchive/issues/3345', 'SQL State  : 23505\nError Code : 0\nMessage    : ERROR: duplicate key value violates unique constraint "dataverserole_pkey"'],
    // pytest's fixture lookup block, pytest's own `>` marker kept.
    ['https://github.com/pytest-dev/pytest-twisted/issues/151', ">       available fixtures: LineMatcher, _config_for_test, _pytest, _sys_snapshot, cache, capfd, capfdbinary, caplog, capsys, monkeypatch, pytestconfig, pytester, recwarn, tmp_path, tmpdir\n>       use 'pytest --fixtures [testpath]' for help on them."],
    // GNU and busybox chmod in a postgres container (busybox behind a Compose prefix).
    ['https://github.com/kanishka-linux/reminiscence/issues/71', "chmod: changing permissions of '/var/lib/postgresql/data': Operation not permitted\nThe files belonging to this database system will be owned by user \"postgres\"."],
    ['https://github.com/docker-library/postgres/issues/1270', 'postgres          | chmod: /var/lib/postgresql/data: Operation not permitted\npostgres          | chmod: /var/run/postgresql: Operation not permitted'],
    // initdb's own error line, behind the timestamps Docker Desktop put first.
    ['https://github.com/goharbor/harbor/issues/19785', '2024-01-03 15:12:08 initdb: error: could not change permissions of "/var/lib/postgresql/data/pg14/postgresql.conf": Operation not permitted\n2024-01-03 15:12:08 initdb: removing data directory "/var/lib/postgresql/data/pg14"'],
    // structlog's dict_tracebacks, pretty-printed.
    ['https://github.com/meltano/meltano/pull/8737', '    "exception": [\n        {\n            "exc_type": "RunnerError",\n            "exc_value": "Cannot start plugin tap-getpocket: \'\' is not a valid StateBackend",'],
    // redis-py's socket error printed by `print('Error:', ex)`.
    ['https://github.com/redis/redis-py/issues/1140', "Redis<ConnectionPool<Connection<host=127.0.0.1,port=6379,db=0>>>\nError: Error while reading from socket: ('Connection closed by server.',)\nFailed to connect, terminating."],
    // Celery's worker line without its bracket prefix (an issue title quoting the log).
    ['https://github.com/redis/redis-py/issues/2337', 'consumer: Cannot connect to redis://127.0.0.1:8000/2: .'],
    // PgBouncer before 1.8: `<time> <pid> <LEVEL> <connection>: ...`.
    ['https://github.com/pgbouncer/pgbouncer/issues/150', '2016-10-12 14:51:49.945 27782 WARNING C-0x74d9a0: (nodb)/(nouser)@127.0.0.1:48680 Pooler Error: No such database: josh\n2016-10-12 14:51:49.945 27782 LOG C-0x74d9a0: (nodb)/(nouser)@127.0.0.1:48680 login failed: db=josh user=postgres'],
    // uvicorn's access-log line for a failed request (adapted: the line alone, without the body below it).
    ['https://github.com/fastapi/fastapi/issues/2362', 'INFO:     127.0.0.1:52900 - "DELETE /redis/comment HTTP/1.1" 422 Unprocessable Entity'],
    // The server log's STATEMENT line under an error, behind log_line_prefix (adapted: the statement trimmed).
    ['https://github.com/superseriousbusiness/gotosocial/issues/1744', '2023-05-06 00:36:55.113 UTC [7332] gotosocial@gotosocial STATEMENT:  INSERT INTO "accounts" ("id", "created_at", "updated_at", "fetched_at", "username", "domain") VALUES'],
  ];
  it.each(shapes)('reads the output in %s', (_source, text) => {
    expect(reads(text)).toBe(true);
  });

  it('does not read sentences that name the same errors', () => {
    for (const text of [
      'anyone know why aiohttp says Unclosed client session even with async with?',
      "we keep getting Error while reading from socket: (104, 'Connection reset by peer') from celery",
      "Error while reading from socket: (104, 'Connection reset by peer') any idea why?",
      'the API returns {"error": "QueuePool limit of size 5 overflow 10 reached"} when the pool is full, any idea?',
      'initdb says could not change permissions of directory on the NFS volume, what am I missing?',
      'pytest keeps saying available fixtures but mine is not in the list',
      'uvicorn logs "POST /items/ HTTP/1.1" 422 Unprocessable Entity for every request, why?',

      'the statement: INSERT INTO accounts fails with a duplicate key, any idea?',
      'postgres logs STATEMENT:  INSERT INTO accounts right after the error, why?',
      'Flyway shows SQL State  : 23505 for the duplicate key, any idea?',
    ]) {
      expect(reads(text), text).toBe(false);
      expect(worthDiagnosing(engine.diagnose(text), false), text).toBe(false);
    }
  });

  it('reads gunicorn log lines relayed behind a bar or pasted one inline-code span a line (written in gunicorn 20\'s format)', () => {
    const line = "[2021-03-02 10:11:12 +0000] [311] [ERROR] Connection in use: ('0.0.0.0', 8000)";
    for (const text of [`| ${line}\n| [2021-03-02 10:11:12 +0000] [311] [ERROR] Retrying in 1 second.`, `\`${line}\`\n\`[2021-03-02 10:11:12 +0000] [311] [ERROR] Retrying in 1 second.\``]) {
      const d = engine.diagnose(text);
      expect(d.match?.id, text).toBe('uvicorn.address-in-use');
      expect(d.errorOutput, text).toBe(true);
    }
    // A quoted error in backticks inside a sentence stays a quote.
    expect(worthDiagnosing(engine.diagnose("gunicorn says `[ERROR] Connection in use: ('0.0.0.0', 8000)` after a restart, any idea?"), false)).toBe(false);
  });

  it('leaves a lone class name asked about, and a Korean sentence naming it, to a mention (written)', () => {
    for (const text of ['fastapi.exceptions.ResponseValidationError ?', '응답을 반환할 때 fastapi.exceptions.ResponseValidationError 에러가 발생합니다']) {
      const d = engine.diagnose(text);
      expect(d.match?.id, text).toBe('fastapi.response-validation');
      expect(worthDiagnosing(d, false), text).toBe(false);
    }
  });

  it('earns no unasked reply when no catalogued fault matched', () => {
    // A structlog record of an error the catalogue does not hold (adapted: trimmed from
    // https://github.com/meltano/meltano/pull/8737, without its `"level": "error"` line).
    const text = '"exception": [\n    {\n        "exc_type": "RunnerError",\n        "exc_value": "Cannot start plugin tap-getpocket: \'\' is not a valid StateBackend",\n        "syntax_error": null,\n        "is_cause": false';
    expect(reads(text)).toBe(true);
    const d = engine.diagnose(text);
    expect(d.match).toBeNull();
    expect(d.errorOutput).toBe(false);
    expect(worthDiagnosing(d, false)).toBe(false);
  });

  it('takes a bare message behind an "error:" label as the message, not a sentence', () => {
    // https://github.com/redis/redis-py/issues/1140: `print('Error:', ex)`; the signature matches after the label.
    const printed = "Error: Error while reading from socket: ('Connection closed by server.',)";
    expect(isBareErrorMessage(printed, { position: 7, exact: true, phrases: [] })).toBe(true);
    // Without a label the same position is a sentence's middle; with chat words it is chat.
    expect(isBareErrorMessage("Socket: Error while reading from socket: ('Connection closed by server.',)", { position: 8, exact: true, phrases: [] })).toBe(false);
    expect(isBareErrorMessage('Error: we hit QueuePool limit of size 5 overflow 10 reached again', { position: 14, exact: true, phrases: [] })).toBe(false);
  });
});

// Blind rounds 5-6 (gate3): shapes of output the gate left silent, each read from a real paste in
// a public thread other than the blind line it was written for (source per case; long lines trimmed),
// or, where no other paste of the shape was found in time, written in the program's own format and
// labelled "written".
describe('output shapes from blind rounds 5-6', () => {
  const reads = (text: string): boolean => showsMatchedOutput(parsePaste(normaliseInput(text), engine.index.knownTypes));
  const output: [string, string][] = [
    // kubectl describe's events table before Kubernetes 1.5 (ages, count, `{kubelet node}` first).
    ['https://github.com/kubernetes/kubernetes/issues/32542', '  41m   41m     1       {kubelet gke-hivemp-n1-pool-4ed8d54a-5v1s}                                                      Warning FailedSync      Error syncing pod, skipping: failed to "StartContainer" for "hivemp-nat-punchthrough-service" with ErrImagePull: "failed to register layer: Untar re-exec error: exit status 1: output: open /srv/node_modules/grpc/x: no space left on device"'],
    // Django's old-style `Traceback:` block (the 500 page's copy-and-paste view before Django 2.2).
    ['https://github.com/IBM/page-lab/issues/35', 'File "/home/ddahl/github.com/env-page-lab/lib/python3.5/site-packages/django/contrib/admin/helpers.py" in contents\n  201.             f, attr, value = lookup_field(field, obj, model_admin)\n\nFile "/home/ddahl/github.com/env-page-lab/lib/python3.5/site-packages/django/contrib/admin/utils.py" in lookup_field\n  295.         value = getattr(obj, name)'],
    // Written: a formatter with `datefmt="%H:%M:%S"` (no other real paste of the shape found in time).
    ['written', '10:47:47 ERROR: Task failed: (psycopg2.OperationalError) could not connect to server: Connection refused'],
    // Written: a Chinese report's label with a full-width colon before the exception line.
    ['written', '报错：requests.exceptions.ConnectionError: HTTPConnectionPool(host=\'localhost\', port=8000): Max retries exceeded with url: /'],
    // Written: a dashboard's container waiting reason and kubelet message (kubelet's own wording).
    ['written', 'ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/busybox:v1.0": not found'],
    // Written: Airflow's KubernetesExecutor pod summary (the provider's format).
    ['written', 'Pod phase: Failed, reason: None, message: None, container_type: main, container_name: base,\ncontainer_state: terminated, container_reason: OOMKilled, container_message: None, exit_code: 137'],
    // Written: an exception line pasted as inline code on its own, indented line.
    ['written', 'still failing:\n\n   ` sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) FATAL:  sorry, too many clients already`'],
  ];
  it.each(output)('reads as error output: %s', (_source, text) => {
    expect(engine.diagnose(text).errorOutput, text).toBe(true);
  });

  const matched: [string, string][] = [
    // pgJDBC's `Detail:` under its exception, one space after the colon.
    ['https://github.com/hortonworks/cloudbreak/pull/2765', '.  Cause: org.postgresql.util.PSQLException: ERROR: null value in column "loginusername" violates not-null constraint\n  Detail: Failing row contains (2, null, null, null, 1073).'],
    // Django's debug page title, the class and the request path.
    ['https://github.com/mpkasp/django-bom/issues/6', 'OperationalError at /admin/bom/organization/add/\nno such table: main.auth_user__old'],
    // Written: `print(type(e))` above `print(e)`.
    ['written', "<class 'sqlalchemy.exc.IntegrityError'>\n(psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint \"users_email_key\""],
    // Written: a shell session with the poster's arrow remark behind the output line.
    ['written', "$ docker run --user 1000:1000 -v pgdata:/var/lib/postgresql/data postgres\nchmod: changing permissions of '/var/lib/postgresql/data': Operation not permitted   <-- here"],
  ];
  it.each(matched)('reads as output once a fault matched: %s', (_source, text) => {
    expect(reads(text), text).toBe(true);
  });

  it('reads a message alone in a code block, or in a SQL client\'s error grid, as output', () => {
    // Real: https://github.com/gicait/geoserver-rest/issues/15 (the same project's earlier issue than the blind line's;
    // the message retold with "the" in front, alone in a block).
    const real = engine.diagnose("If the query doesn't run successfully it through the error message,\n\n```\nthe current transaction is aborted, commands ignored until end of transaction block\n```\n\nAnd any other preference can't be done.");
    expect(real.match?.id).toBe('postgres.transaction-aborted');
    expect(worthDiagnosing(real, false)).toBe(true);
    for (const text of [
      'The nightly job fails with\n```\ncould not serialize access due to concurrent update\n```',
      '1\t40001\tcould not serialize access due to concurrent update',
    ]) {
      const d = engine.diagnose(text);
      expect(d.match?.id, text).toBe('postgres.serialization-failure');
      expect(worthDiagnosing(d, false), text).toBe(true);
    }
    // A question in a block, or a sentence naming the message in a longer block, stays chat.
    for (const text of ['```\nanyone seen could not serialize access due to concurrent update?\n```', 'hmm:\n```\nwe keep getting could not serialize access due to concurrent update\n```']) {
      expect(worthDiagnosing(engine.diagnose(text), false), text).toBe(false);
    }
  });

  it('unwraps a uvicorn log line pasted as one inline-code span (written in uvicorn\'s access-log format)', () => {
    const d = engine.diagnose('the server only logs this:\n\n`INFO:     172.17.0.1:40012 - "POST /users HTTP/1.1" 422 Unprocessable Entity`');
    expect(d.errorOutput).toBe(true);
  });

  it('still leaves sentences, titles that ask, and retyped errors alone (written)', () => {
    for (const text of [
      'OperationalError: could not connect to server: Connection refused - how to fix?',
      'the worker died with sqlalchemy.exc.integrity error: (psycopg2.errors.uniqueviolation) duplicate key value violates unique constraint',
      'anyone know why <class \'sqlalchemy.exc.IntegrityError\'> shows up in the logs?',
      'we get OperationalError at /admin/ after the upgrade, any idea?',
      'kubectl says ErrImagePull: rpc error: code = Unknown for every pod, why?',
    ]) expect(worthDiagnosing(engine.diagnose(text), false), text).toBe(false);
  });
});

// Round 9's unasked misses, each class tested on a real paste of another thread.
describe('output shapes from blind round 9', () => {
  it('reads a Ruby backtrace as output (adapted: trimmed, from https://github.com/Charcoal-SE/metasmoke/issues/592)', () => {
    const text = [
      '## Redis::CommandError in SearchController#index',
      "### OOM command not allowed when used memory > 'maxmemory'.",
      '',
      '### Full Trace:',
      '',
      '```',
      "redis (3.3.5) lib/redis/client.rb:121:in `call'",
      "redis (3.3.5) lib/redis.rb:1534:in `block in zadd'",
      "redis (3.3.5) lib/redis.rb:58:in `block in synchronize'",
      "/home/ubuntu/.rvm/rubies/ruby-2.5.0/lib/ruby/2.5.0/monitor.rb:226:in `mon_synchronize'",
      "redis (3.3.5) lib/redis.rb:58:in `synchronize'",
      "config/initializers/redis_logging.rb:29:in `block in <top (required)>'",
      '```',
    ].join('\n');
    const d = engine.diagnose(text);
    expect(d.match?.id).toBe('redis.oom-maxmemory');
    expect(worthDiagnosing(d, false)).toBe(true);
  });

  it('reads IPython 8 traceback frames as output when the exception line is elsewhere (adapted: the exception line cut, from https://github.com/vladkens/twscrape/issues/186)', () => {
    const text = [
      'Cell In[5], line 46',
      '     42         worker_task.cancel()',
      '     45 if __name__ == "__main__":',
      '---> 46     asyncio.run(main())',
      '',
      'File /usr/lib/python3.10/asyncio/runners.py:33, in run(main, debug)',
      '     32 if events._get_running_loop() is not None:',
      '---> 33     raise RuntimeError(',
      '     34         "asyncio.run() cannot be called from a running event loop")',
    ].join('\n');
    expect(engine.diagnose(text).errorOutput).toBe(true);
  });

  it('reads pyTelegramBotAPI\'s log record as output (https://github.com/eternnoir/pyTelegramBotAPI/issues/167, and yukuku/telebot#29 without the thread name)', () => {
    for (const text of [
      '2016-05-21 11:54:16,202 (__init__.py:211 MainThread) ERROR - TeleBot: "A request to the Telegram API was unsuccessful. The server returned HTTP 401 Unauthorized. Response body:',
      '2015-10-11 17:48:12,169 (__init__.py:159) ERROR - TeleBot: "A request to the Telegram API was unsuccessful. The server returned HTTP 502 Bad Gateway. Response body:',
    ]) expect(engine.diagnose(text).errorOutput, text).toBe(true);
  });

  it('leaves sentences that name a frame or a logger alone (written)', () => {
    for (const text of [
      "the trace ends in client.rb:121:in `call' every time, any idea why?",
      'I think the bug is in runners.py, in run() somewhere',
      'my bot logs ERROR - TeleBot: something every minute, is that normal?',
    ]) expect(engine.diagnose(text).errorOutput, text).toBe(false);
  });
});

// Round 12's unasked misses, each class tested on a real paste of another thread.
describe('output shapes from blind round 12', () => {
  it("reads psql's error label in the user's language as output (adapted: the line psql printed, from inline code in https://github.com/preyjk/KalahGame/blob/14b06dfe25175fae980501f9f9177fe90bdecfda/docs/DevelopDoc.md)", () => {
    // psql 12+ translates its own `error: ` (zh_CN `错误: `); the server's FATAL follows a full-width comma.
    const line = 'psql: 错误: 连接到"localhost" (::1)上的服务器，端口5432失败：致命错误:  用户 "kalah_user" Password 认证失败';
    const d = engine.diagnose(line);
    expect(d.match?.id).toBe('postgres.password-auth-failed');
    expect(worthDiagnosing(d, false)).toBe(true);
    // The label alone makes these output: no server severity follows it (German and Russian catalogs; lines
    // found by exact-string search in public repositories whose thread is not traced, so counted as written).
    for (const text of [
      'psql: Fehler: Verbindung zum Server auf »10.1.1.174«, Port 5432 fehlgeschlagen: Verbindungsaufbau abgelehnt',
      'psql: ошибка: подключиться к серверу "127.0.0.1", порту 9792 не удалось: Connection refused',
    ]) expect(engine.diagnose(text).errorOutput, text).toBe(true);
    // A sentence quoting it, in the report's own words or in a question, stays chat (written).
    for (const text of [
      '运行连接命令: `psql -h localhost -U kalah_user -d kalah_db` 返回 `psql: 错误: 连接到"localhost" (::1)上的服务器，端口5432失败：致命错误:  用户 "kalah_user" Password 认证失败`',
      'anyone seen psql: 错误: 连接到"localhost" (::1)上的服务器，端口5432失败：致命错误:  用户 "kalah_user" Password 认证失败 ?',
    ]) expect(worthDiagnosing(engine.diagnose(text), false), text).toBe(false);
  });

  it("reads a .NET logger's abbreviated level in brackets as an error-level record (https://github.com/brunobritodev/JPProject.IdentityServer4.SSO/issues/69)", () => {
    // Serilog's console template, the time and the level in one bracket; the line alone, without the exception under it.
    const serilog = "[22:25:33 ERR] An exception occurred while iterating over the results of a query for context type 'Jp.Database.Context.SsoContext'.";
    expect(engine.diagnose(serilog).errorOutput).toBe(true);
    // The same record at information level is not error output.
    expect(engine.diagnose(serilog.replace('ERR]', 'INF]')).errorOutput).toBe(false);
    // As posted, with Npgsql's exception under it.
    const posted = engine.diagnose(`${serilog}\nNpgsql.PostgresException (0x80004005): 42P01: relation "Clients" does not exist`);
    expect(posted.match?.id).toBe('postgres.undefined-table');
    expect(worthDiagnosing(posted, false)).toBe(true);
    // A sentence naming the level stays chat (written).
    expect(worthDiagnosing(engine.diagnose('we get [ERR] relation "Clients" does not exist from the SSO on every start, any idea?'), false)).toBe(false);
  });
});
