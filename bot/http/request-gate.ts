import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface GateOptions {
  signingSecret: string;
  /** Paths Slack posts to; other paths (`/healthz`) pass straight through. */
  endpoints: string[];
  /** Largest body read, in bytes; a larger one is refused with 413 while it streams. */
  maxBodyBytes: number;
  /** Slack's rule: a request more than this far from now, either way, is refused. */
  windowSeconds: number;
  now?: () => number;
  onReject?: (reason: GateRejection, req: IncomingMessage) => void;
}

export type GateRejection = 'too-large' | 'unsigned' | 'stale' | 'bad-signature' | 'not-an-object' | 'replay' | 'aborted';

/** Signed commands and interactions carry no id of their own: the same signature is the same request. */
class ReplayMemory {
  private readonly seen = new Map<string, number>();
  constructor(private readonly ttlMs: number, private readonly max = 100_000) {}

  /** True the first time a key is seen within the window. */
  firstTime(key: string, now: number): boolean {
    if (this.seen.size >= this.max || this.seen.size % 1024 === 0) this.expire(now);
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    return true;
  }

  private expire(now: number): void {
    for (const [k, at] of this.seen) {
      if (now - at <= this.ttlMs) break;
      this.seen.delete(k);
    }
    // Still full of live keys: forget the oldest rather than grow without bound.
    while (this.seen.size >= this.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  // Close the connection: whatever is still streaming in is not read.
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(`${message}\n`);
}

function signatureMatches(secret: string, timestamp: string, body: Buffer, signature: string): boolean {
  const mac = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex');
  const expected = Buffer.from(`v0=${mac}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Slack's payload is a JSON object: the body itself (events), or the `payload` field of a form
 * (interactions); a command is a plain form. `null`, arrays and numbers are refused here rather
 * than reaching Bolt, which assumes an object.
 */
function isObjectPayload(body: Buffer, contentType: string): { ok: boolean; kind: 'event' | 'interaction' | 'command' } {
  const text = body.toString('utf8');
  const isObject = (s: string): boolean => {
    try {
      const v: unknown = JSON.parse(s);
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    } catch {
      return false;
    }
  };
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const form = parseQuery(text);
    if (typeof form.payload === 'string') return { ok: isObject(form.payload), kind: 'interaction' };
    return { ok: typeof form.command === 'string' || form.ssl_check === '1', kind: 'command' };
  }
  return { ok: isObject(text), kind: 'event' };
}

/**
 * Everything a request must pass before any work is done for it, cheapest first: the headers
 * (signed at all, within ±windowSeconds), the size while it streams (413 without buffering the
 * rest), the signature, the shape, and replays of commands and interactions (events are
 * deduplicated by their event id later). What passes reaches Bolt with its body already read.
 */
export function createRequestGate(next: Listener, options: GateOptions): Listener {
  const now = options.now ?? Date.now;
  const replays = new ReplayMemory(options.windowSeconds * 2 * 1000);
  const reject = (req: IncomingMessage, res: ServerResponse, reason: GateRejection, status: number, message: string): void => {
    options.onReject?.(reason, req);
    refuse(res, status, message);
    req.resume();
  };

  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (req.method !== 'POST' || !options.endpoints.includes(path)) {
      next(req, res);
      return;
    }
    const signature = header(req, 'x-slack-signature');
    const timestamp = header(req, 'x-slack-request-timestamp');
    const contentType = header(req, 'content-type') ?? '';
    // Slack checks HTTPS reachability with an unsigned `ssl_check=1` form; Bolt answers it.
    const maybeSslCheck = !signature && contentType.startsWith('application/x-www-form-urlencoded') && Number(header(req, 'content-length') ?? 'NaN') <= 64;
    if (!maybeSslCheck) {
      if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return reject(req, res, 'unsigned', 401, 'Unsigned request: Slack signs every request with the app signing secret.');
      if (Math.abs(now() / 1000 - Number(timestamp)) > options.windowSeconds) return reject(req, res, 'stale', 401, 'Request timestamp is outside the allowed window of five minutes.');
    }
    const declared = Number(header(req, 'content-length') ?? 'NaN');
    if (declared > options.maxBodyBytes) return reject(req, res, 'too-large', 413, `Request body too large: the limit is ${options.maxBodyBytes} bytes.`);

    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > options.maxBodyBytes) {
        done = true;
        chunks.length = 0;
        options.onReject?.('too-large', req);
        refuse(res, 413, `Request body too large: the limit is ${options.maxBodyBytes} bytes.`);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      done = true;
    });
    req.on('aborted', () => {
      done = true;
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const body = Buffer.concat(chunks, size);
      if (!maybeSslCheck) {
        if (!signatureMatches(options.signingSecret, timestamp as string, body, signature as string)) return reject(req, res, 'bad-signature', 401, 'Invalid request signature.');
        const shape = isObjectPayload(body, contentType);
        if (!shape.ok) return reject(req, res, 'not-an-object', 400, 'Malformed Slack payload: expected a JSON object.');
        if (shape.kind !== 'event') {
          const key = createHash('sha256').update(signature as string).update(timestamp as string).digest('base64url');
          if (!replays.firstTime(key, now())) {
            options.onReject?.('replay', req);
            res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
            res.end();
            return;
          }
        }
      }
      // Bolt reads `rawBody` instead of the stream when it is already there.
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      next(req, res);
    });
  };
}
