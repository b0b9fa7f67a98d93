import { redactDeep, redactText } from './redact.js';

type Fetch = typeof globalThis.fetch;
type RequestOptions = NonNullable<Parameters<Fetch>[1]>;

/** A form or JSON value: JSON documents (Block Kit, attachments) are redacted value by value. */
function redactValue(value: string): string {
  const first = value.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return JSON.stringify(redactDeep(JSON.parse(value) as unknown));
    } catch {
      // Not JSON after all: redact it as text.
    }
  }
  return redactText(value);
}

async function redactBody(body: unknown, contentType: string): Promise<unknown> {
  if (typeof body === 'string') {
    if (contentType.includes('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(body);
      const out = new URLSearchParams();
      for (const [k, v] of form) out.append(k, redactValue(v));
      return out.toString();
    }
    return redactValue(body);
  }
  if (body instanceof URLSearchParams) {
    const out = new URLSearchParams();
    for (const [k, v] of body) out.append(k, redactValue(v));
    return out;
  }
  if (body instanceof FormData) {
    const out = new FormData();
    for (const [k, v] of body) {
      if (typeof v === 'string') out.append(k, redactValue(v));
      else out.append(k, new Blob([redactText(await v.text())], { type: v.type }), v.name);
    }
    return out;
  }
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    // File uploads (files.uploadV2 posts the content to an upload URL): text files are redacted.
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
    return new TextEncoder().encode(redactText(new TextDecoder().decode(bytes)));
  }
  if (body instanceof Blob) return new Blob([redactText(await body.text())], { type: body.type });
  return body;
}

function headerValue(headers: RequestOptions['headers'], name: string): string {
  if (!headers) return '';
  if (headers instanceof Headers) return headers.get(name) ?? '';
  if (Array.isArray(headers)) return headers.find(([k]) => k?.toLowerCase() === name)?.[1] ?? '';
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return String(v);
  return '';
}

/**
 * A fetch that redacts every request body before it leaves the process: form fields, JSON
 * documents, multipart parts and uploaded files. Given to the Slack Web API client (every
 * reply, update, ephemeral, `respond()` and upload) and to the OpenAI client (every LLM
 * request), so nothing sent is left to each caller's care. Headers are not touched: they carry
 * our own credentials.
 */
export function createRedactingFetch(inner: Fetch = globalThis.fetch): Fetch {
  return (async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    if (!init?.body) return inner(input, init);
    const body = await redactBody(init.body, headerValue(init.headers, 'content-type').toLowerCase());
    return inner(input, { ...init, body: body as RequestOptions['body'] });
  }) as Fetch;
}
