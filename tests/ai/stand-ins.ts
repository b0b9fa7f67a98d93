import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface StandIn {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function listen(handle: (req: RecordedRequest, res: ServerResponse) => void | Promise<void>): Promise<StandIn & { server: Server }> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      requests.push(recorded);
      void Promise.resolve(handle(recorded, res)).catch(() => res.destroy());
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** What the stand-in model says unless told otherwise: it uses the host placeholder it was given. */
export const MODEL_ANSWER = {
  title: 'Trigger rejected the order total',
  cause: 'The INSERT into orders fired the trigger function orders_check_total, which raised an exception for a negative total. The database at <HOST_1> refused the row; SQLAlchemy wrapped it in InternalError.',
  library: 'sqlalchemy',
  confidence: 0.72,
  fixes: [
    { title: 'Validate total before the insert', why: 'Reject negative totals in the service so the user gets a clear message.', tradeoff: 'No extra queries; one more validation rule.', snippet: 'if order.total < 0:\n    raise ValueError("total must be >= 0")', lang: 'python' },
    { title: 'Map IntegrityError to a 422', why: 'Catch the violation and answer the client instead of a 500.', tradeoff: 'Keeps the constraint as the source of truth.', snippet: 'except IntegrityError as exc:\n    raise HTTPException(422) from exc', lang: 'python' },
  ],
};

export function completion(content: string | null, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'chatcmpl-standin',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'stand-in-model',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null, ...extra }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  });
}

/** Scripted answers, in order; when the script runs out, every request gets `MODEL_ANSWER`. */
export type Reply =
  | { kind: 'answer'; body?: unknown }
  | { kind: 'content'; content: string | null; refusal?: string }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'garbage' }
  | { kind: 'hang' };

export interface FakeOpenAi extends StandIn {
  script(...replies: Reply[]): void;
  /** Bodies of the chat completion requests, parsed. */
  bodies(): Record<string, unknown>[];
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: Reply[] = [];
  const standIn = await listen((req, res) => {
    if (req.method !== 'POST' || !req.path.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const reply = queue.shift() ?? { kind: 'answer' };
    const json = { 'content-type': 'application/json' };
    switch (reply.kind) {
      case 'answer':
        res.writeHead(200, json).end(completion(JSON.stringify(reply.body ?? MODEL_ANSWER)));
        return;
      case 'content':
        res.writeHead(200, json).end(completion(reply.content, reply.refusal ? { refusal: reply.refusal } : {}));
        return;
      case 'status':
        res.writeHead(reply.status, { ...json, ...reply.headers }).end(JSON.stringify({ error: { message: 'stand-in failure', type: 'server_error' } }));
        return;
      case 'garbage':
        res.writeHead(200, json).end('{"id": "chatcmpl-1", "choices": [ this is not json');
        return;
      case 'hang':
        // Never answers; the connection is dropped when the stand-in closes.
        return;
    }
  });
  return {
    ...standIn,
    script: (...replies) => void queue.push(...replies),
    bodies: () => standIn.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => JSON.parse(r.body) as Record<string, unknown>),
  };
}

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
}

/** Slack's Web API on loopback: records every call and answers ok. */
export async function startFakeSlack(): Promise<StandIn & { calls: SlackCall[] }> {
  const calls: SlackCall[] = [];
  let ts = 1_700_000_100;
  const standIn = await listen((req, res) => {
    const method = req.path.replace(/^\/(?:api\/)?/, '').split('?')[0] ?? '';
    const type = String(req.headers['content-type'] ?? '');
    let params: Record<string, unknown> = {};
    if (type.includes('json')) params = JSON.parse(req.body || '{}') as Record<string, unknown>;
    else for (const [k, v] of new URLSearchParams(req.body)) params[k] = v;
    // The Web API client form-encodes objects as JSON strings.
    if (typeof params.blocks === 'string') params.blocks = JSON.parse(params.blocks);
    calls.push({ method, params });
    const body: Record<string, unknown> = { ok: true };
    if (method === 'chat.postMessage') body.ts = `${ts++}.000100`;
    if (method === 'chat.update') body.ts = params.ts;
    if (method === 'chat.getPermalink') body.permalink = `https://acme.slack.com/archives/${String(params.channel)}/p${String(params.message_ts).replace('.', '')}`;
    if (method === 'users.info') body.user = { id: params.user, locale: 'en-US' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  return { ...standIn, calls };
}

/** Closes the stand-ins a test started, after it. */
export function useStandIns(): <T extends StandIn>(s: T) => T {
  const open: StandIn[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return (s) => {
    open.push(s);
    return s;
  };
}

export function captureStream(): Writable & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

/** Log lines as the explainer writes them, for "nothing secret is logged" checks. */
export function captureLog(): { info(m: string, f: Record<string, unknown>): void; warn(m: string, f: Record<string, unknown>): void; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m, f) => void lines.push(JSON.stringify({ m, ...f })),
    warn: (m, f) => void lines.push(JSON.stringify({ m, ...f })),
  };
}
