import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the bot made: a Web API method, a response_url post, or a file download. */
export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  /** The bearer token sent, if any. */
  token: string | null;
  /** The request body as it arrived (form, JSON or multipart), for leak scans. */
  raw?: string;
  /** What the stand-in answered (Web API methods). */
  response?: Record<string, unknown>;
  /** performance.now() when the request arrived (same clock as the sender in this process). */
  at: number;
}

type Responder = (params: Record<string, unknown>, call: SlackCall) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface StandInSlack {
  /** Base URL for SLACK_API_URL (`http://127.0.0.1:PORT/api/`). */
  apiUrl: string;
  /** `http://127.0.0.1:PORT`, for response_url and url_private values in payloads. */
  origin: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Polls until `predicate` holds for the recorded calls (bounded wait); returns the matching calls. */
  waitFor(method: string, predicate?: (c: SlackCall) => boolean, count?: number, timeoutMs?: number): Promise<SlackCall[]>;
  /** Replaces the answer of one method (error injection); `null` restores the default. */
  override(method: string, responder: Responder | null): void;
  setLocale(user: string, locale: string): void;
  setThread(channel: string, ts: string, messages: Record<string, unknown>[]): void;
  /** Serves a file at `${origin}/files/<name>` to requests bearing the bot token. */
  addFile(name: string, content: string | Buffer): string;
  reset(): void;
  close(): Promise<void>;
}

export const BOT_USER = 'UBOT0001';
export const BOT_ID = 'BBOT0001';
export const TEAM = 'T0TEST001';

/**
 * A stand-in for Slack's Web API on loopback: records every call the bot makes and answers like
 * Slack does (`{ok: true, ...}`), so the real Bolt app runs unmodified against it.
 */
export async function startStandInSlack(options: { botToken: string }): Promise<StandInSlack> {
  const calls: SlackCall[] = [];
  const overrides = new Map<string, Responder>();
  const locales = new Map<string, string>();
  const threads = new Map<string, Record<string, unknown>[]>();
  const files = new Map<string, string | Buffer>();
  let seq = 0;
  const nextTs = () => `1700000${String(++seq).padStart(3, '0')}.000200`;

  const defaults: Record<string, Responder> = {
    'auth.test': () => ({ url: 'https://faultline-test.slack.com/', team: 'Test', user: 'faultline', team_id: TEAM, user_id: BOT_USER, bot_id: BOT_ID }),
    'users.info': (p) => ({ user: { id: p.user, name: 'someone', locale: locales.get(String(p.user)) ?? 'en-US', tz: 'UTC' } }),
    'chat.postMessage': (p) => {
      const ts = nextTs();
      return { channel: p.channel, ts, message: { type: 'message', user: BOT_USER, bot_id: BOT_ID, ts, text: p.text, blocks: p.blocks, thread_ts: p.thread_ts } };
    },
    'chat.update': (p) => ({ channel: p.channel, ts: p.ts, text: p.text }),
    'chat.postEphemeral': () => ({ message_ts: nextTs() }),
    'chat.getPermalink': (p) => ({ channel: p.channel, permalink: `https://faultline-test.slack.com/archives/${String(p.channel)}/p${String(p.message_ts).replace('.', '')}` }),
    'reactions.add': () => ({}),
    'reactions.remove': () => ({}),
    'conversations.replies': (p) => ({ messages: threads.get(`${String(p.channel)}:${String(p.ts)}`) ?? [], has_more: false }),
    'views.publish': () => ({ view: { id: 'VHOME' } }),
    'views.open': () => ({ view: { id: 'VMODAL' } }),
    'views.update': () => ({ view: { id: 'VMODAL' } }),
  };

  const readBody = async (req: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const parseParams = (body: string, type: string): Record<string, unknown> => {
    if (type.includes('application/json')) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const params: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(body)) {
      // The Web API client form-encodes objects (blocks, view) as JSON strings.
      params[k] = (v.startsWith('[') || v.startsWith('{')) ? safeJson(v) : v;
    }
    return params;
  };

  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const auth = req.headers.authorization ?? null;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
      if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
        const name = decodeURIComponent(url.pathname.slice('/files/'.length));
        calls.push({ method: 'files.download', params: { name }, token, at: performance.now() });
        const content = files.get(name);
        // Like Slack: without the right token a file URL answers with an HTML login page.
        if (content === undefined || token !== options.botToken) return send(res, 200, '<html>sign in</html>', 'text/html');
        return send(res, 200, content, 'text/plain; charset=utf-8');
      }
      const at = performance.now();
      const body = await readBody(req);
      const params = parseParams(body, req.headers['content-type'] ?? '');
      if (url.pathname.startsWith('/respond/')) {
        calls.push({ method: 'response_url', params: { ...params, _path: url.pathname }, token, at, raw: body });
        return send(res, 200, 'ok', 'text/plain');
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const call: SlackCall = { method, params, token: token ?? (typeof params.token === 'string' ? params.token : null), at, raw: body };
      calls.push(call);
      if (call.token !== options.botToken) return send(res, 200, { ok: false, error: 'invalid_auth' });
      const responder = overrides.get(method) ?? defaults[method];
      if (!responder) return send(res, 200, { ok: false, error: 'unknown_method' });
      const answer = await responder(params, call);
      call.response = 'ok' in answer ? answer : { ok: true, ...answer };
      return send(res, 200, call.response);
    })().catch((err: unknown) => send(res, 500, { ok: false, error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${origin}/api/`,
    origin,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    async waitFor(method, predicate = () => true, count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.filter((c) => c.method === method && predicate(c));
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`stand-in Slack saw ${found.length} matching ${method} call(s), expected ${count}; calls: ${calls.map((c) => c.method).join(', ') || 'none'}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    override(method, responder) {
      if (responder) overrides.set(method, responder);
      else overrides.delete(method);
    },
    setLocale: (user, locale) => void locales.set(user, locale),
    setThread: (channel, ts, messages) => void threads.set(`${channel}:${ts}`, messages),
    addFile(name, content) {
      files.set(name, content);
      return `${origin}/files/${encodeURIComponent(name)}`;
    },
    reset() {
      calls.length = 0;
      overrides.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
