/**
 * Builds tests/redact/corpus/planted.jsonl: real pastes from the accuracy corpora (heldout and
 * blind positives, each with the fault it should match) with synthetic secrets planted where
 * people's pastes carry them (log lines around a traceback, an env dump after it, a shell
 * session, a JSON log record, a YAML config) and look-alikes that must survive (request ids,
 * commit SHAs, digests, versions, names, paths, non-Luhn numbers...).
 *
 *   npx tsx tests/redact/corpus/make-corpus.ts
 *
 * Deterministic (seeded): running it again writes the same file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chars, KINDS, seeded, type Rand } from '../fake-secrets.js';

interface SourcePaste {
  text: string;
  expect: string | null;
  source?: string;
}

export interface PlantedPaste {
  id: string;
  /** The corpus line the paste came from. */
  from: string;
  /** How the secrets were framed. */
  shape: string;
  /** The fault the original paste matches (from its corpus). */
  expect: string | null;
  text: string;
  secrets: { kind: string; value: string }[];
  lookalikes: { kind: string; value: string }[];
}

const HEX = '0123456789abcdef';
const uuid = (r: Rand) => `${chars(r, HEX, 8)}-${chars(r, HEX, 4)}-4${chars(r, HEX, 3)}-a${chars(r, HEX, 3)}-${chars(r, HEX, 12)}`;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function notLuhn(r: Rand): string {
  for (;;) {
    const n = `4${chars(r, '0123456789', 15)}`;
    let sum = 0;
    for (let i = 0; i < n.length; i++) {
      let d = n.charCodeAt(n.length - 1 - i) - 48;
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 !== 0) return n;
  }
}

const MODELS = ['OrderLineItem', 'InvoiceBatch', 'CustomerAddress', 'SubscriptionPlan', 'WarehouseStock', 'PaymentIntent'];
const TABLES = ['order_line_items', 'invoice_batches', 'customer_addresses', 'subscription_plans', 'warehouse_stock', 'payment_intents'];
const COLUMNS = ['customer_id', 'invoice_batch_id', 'shipped_at', 'unit_price_cents', 'external_ref', 'tenant_slug'];

/** Values a careless redactor would take for secrets; `{V}` is the value. */
const LOOKALIKES: { kind: string; make: (r: Rand) => string; context: string }[] = [
  { kind: 'request-id', make: uuid, context: 'X-Request-ID: {V}' },
  { kind: 'celery-task-id', make: uuid, context: 'Task app.tasks.sync_orders[{V}] raised unexpected: OperationalError' },
  { kind: 'trace-id', make: (r) => chars(r, HEX, 32), context: 'otel trace_id={V} span_id=8f2c1a9b3d4e5f60' },
  { kind: 'commit-sha', make: (r) => chars(r, HEX, 40), context: 'deployed commit {V} (release v2.14.3)' },
  { kind: 'short-sha', make: (r) => chars(r, HEX, 7), context: 'build api-{V} started' },
  { kind: 'docker-digest', make: (r) => chars(r, HEX, 64), context: 'image: registry.acme.io/api@sha256:{V}' },
  { kind: 'wheel-hash-path', make: (r) => chars(r, HEX, 64), context: '  Stored in directory: /root/.cache/pip/wheels/3f/9a/{V}' },
  { kind: 'npm-integrity', make: (r) => `sha512-${chars(r, B64, 86)}==`, context: 'npm ERR! Verification failed while extracting left-pad@1.3.0: integrity {V}' },
  { kind: 'cache-key', make: (r) => chars(r, HEX, 40), context: 'cache miss for cache_key={V}' },
  { kind: 'sentry-event-id', make: (r) => chars(r, HEX, 32), context: 'Sentry is attempting to send 1 pending event {V}' },
  { kind: 'memory-address', make: (r) => `0x7f${chars(r, HEX, 10)}`, context: "input_type=Organization] at <app.models.Organization object at {V}>" },
  { kind: 'epoch-ms', make: (r) => `17${chars(r, '0123456789', 11)}`, context: 'job finished at {V} after 412 ms' },
  { kind: 'non-luhn-number', make: notLuhn, context: 'order {V} not found in table orders' },
  { kind: 'version', make: (r) => `2.0.${Math.floor(r() * 40)}`, context: 'SQLAlchemy=={V} asyncpg==0.29.0' },
  { kind: 'model-name', make: (r) => MODELS[Math.floor(r() * MODELS.length)] as string, context: "AttributeError: type object '{V}' has no attribute 'query'" },
  { kind: 'table-name', make: (r) => TABLES[Math.floor(r() * TABLES.length)] as string, context: 'psycopg2.errors.UndefinedTable: relation "{V}" does not exist' },
  { kind: 'column-name', make: (r) => COLUMNS[Math.floor(r() * COLUMNS.length)] as string, context: 'psycopg2.errors.UndefinedColumn: column {V} does not exist' },
  { kind: 'file-path-line', make: (r) => `/srv/app/services/billing_${chars(r, 'abcdefghijklmnopqrstuvwxyz', 6)}.py", line ${Math.floor(r() * 900) + 10}`, context: '  File "{V}, in reconcile' },
  { kind: 'pod-name', make: (r) => `api-${chars(r, 'bcdfghjklmnpqrstvwxz2456789', 10)}-${chars(r, 'bcdfghjklmnpqrstvwxz2456789', 5)}`, context: 'pod {V} OOMKilled' },
  { kind: 'aws-arn', make: (r) => `arn:aws:iam::${chars(r, '0123456789', 12)}:role/api-task-role`, context: 'AccessDenied: User: {V} is not authorized to perform: s3:GetObject' },
  { kind: 's3-object-key', make: (r) => `s3://acme-exports/2024/05/01/report-${uuid(r)}.csv`, context: 'botocore.exceptions.ClientError: NoSuchKey for {V}' },
  { kind: 'alembic-revision', make: (r) => chars(r, HEX, 12), context: "alembic.util.exc.CommandError: Can't locate revision identified by '{V}'" },
  { kind: 'github-run-url', make: (r) => `https://github.com/acme/api/actions/runs/${chars(r, '0123456789', 10)}`, context: 'CI failed: {V}' },
  { kind: 'ip-port', make: (r) => `10.0.${Math.floor(r() * 250)}.${Math.floor(r() * 250)}:5432`, context: 'connection to server at {V} failed: timeout expired' },
  { kind: 'base64-payload', make: (r) => `eyJ${chars(r, B64.replace('+', '').replace('/', ''), 40)}`, context: 'kafka message key={V} partition=3' },
];

type Shape = (r: Rand, paste: string, lines: string[]) => string;

const stamp = (r: Rand) => `2024-05-${String(1 + Math.floor(r() * 28)).padStart(2, '0')} ${String(Math.floor(r() * 24)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}:07,${Math.floor(r() * 900) + 100}`;

const SHAPES: Record<string, Shape> = {
  'log-lines-before': (r, paste, lines) => [...lines.map((l) => `${stamp(r)} ERROR [api.worker] ${l}`), paste].join('\n'),
  'env-dump-after': (_r, paste, lines) => [paste, '', 'Environment (from `env | sort`):', ...lines, 'TZ=UTC'].join('\n'),
  'shell-session': (_r, paste, lines) => ['$ docker compose logs api --tail 200', ...lines.map((l) => (l.startsWith('$ ') || l.startsWith('+ ') ? l : `api-1  | ${l}`)), ...paste.split('\n').map((l) => `api-1  | ${l}`)].join('\n'),
  // A multi-line value (a PEM block) is pasted as it is, not as a JSON string.
  'json-log': (r, paste, lines) => [...lines.map((l) => (l.includes('\n') ? l : JSON.stringify({ ts: `2024-05-01T10:00:0${Math.floor(r() * 10)}Z`, level: 'error', logger: 'app.api', msg: l }))), paste].join('\n'),
  'yaml-config': (_r, paste, lines) => [paste, '', 'my config/settings.yaml looks like this:', '```', 'app:', ...lines.map((l) => `  ${l.trim()}`), '```'].join('\n'),
};

function readJsonl(file: string): SourcePaste[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SourcePaste);
}

export function makeCorpus(): PlantedPaste[] {
  const root = join(import.meta.dirname, '..', '..', 'corpus');
  const sources = [
    ...readJsonl(join(root, 'heldout.jsonl')).map((p, i) => ({ ...p, from: `heldout.jsonl:${i + 1}` })),
    ...readJsonl(join(root, 'blind-positives.jsonl')).map((p, i) => ({ ...p, from: `blind-positives.jsonl:${i + 1}` })),
  ].filter((p) => p.expect);
  const rand = seeded(20240501);
  const shapes = Object.keys(SHAPES);
  const out: PlantedPaste[] = [];
  let kindAt = 0;
  let lookAt = 0;
  for (const [i, source] of sources.entries()) {
    const secrets: PlantedPaste['secrets'] = [];
    const lines: string[] = [];
    const lookalikes: PlantedPaste['lookalikes'] = [];
    for (let n = 0; n < (i % 3 === 0 ? 2 : 1); n++) {
      const kind = KINDS[kindAt++ % KINDS.length]!;
      const value = kind.make(rand);
      const context = kind.contexts[Math.floor(rand() * kind.contexts.length)]!;
      secrets.push({ kind: kind.kind, value });
      lines.push(context.split('{S}').join(value));
    }
    if (i % 2 === 0) {
      const look = LOOKALIKES[lookAt++ % LOOKALIKES.length]!;
      const value = look.make(rand);
      lookalikes.push({ kind: look.kind, value });
      lines.splice(Math.floor(rand() * (lines.length + 1)), 0, look.context.split('{V}').join(value));
    }
    const shape = shapes[i % shapes.length]!;
    out.push({ id: `planted-${String(i + 1).padStart(3, '0')}`, from: source.from, shape, expect: source.expect, text: SHAPES[shape]!(rand, source.text, lines), secrets, lookalikes });
  }
  return out;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const corpus = makeCorpus();
  writeFileSync(join(import.meta.dirname, 'planted.jsonl'), corpus.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const secrets = corpus.flatMap((c) => c.secrets);
  console.log(`${corpus.length} pastes, ${secrets.length} secrets of ${new Set(secrets.map((s) => s.kind)).size} kinds, ${corpus.flatMap((c) => c.lookalikes).length} look-alikes`);
}
