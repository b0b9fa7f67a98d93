import type { webApi } from '@slack/bolt';
import { HEAD_BYTES, MAX_INPUT_BYTES } from '../triage/normalise.js';

/** The fields of a Slack file object this reader uses (message `files`, files.info). */
export interface SlackFileLike {
  id?: string;
  name?: string;
  mimetype?: string;
  filetype?: string;
  mode?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
  /** `check_file_info`: the message carries a stub; files.info has the rest. */
  file_access?: string;
}

export interface SnippetText {
  texts: string[];
  /** Files not read, by name, for the note shown to the user. */
  skipped: string[];
  /**
   * Set when a file was longer than the engine reads: `texts` then hold its head and tail
   * windows, and `originalBytes` the size of all files read, for the note in the answer.
   */
  window: { originalBytes?: number };
}

export interface SnippetReader {
  /** Downloads the text files of a message (text snippets of long pastes), bounded in size and count. */
  read(client: webApi.WebClient, files: readonly SlackFileLike[] | undefined): Promise<SnippetText>;
}

export interface SnippetReaderOptions {
  botToken: string;
  /** FAULTLINE_MAX_FILE_BYTES. */
  maxBytes: number;
  /** SLACK_API_URL: its host may serve files too (tests, non-standard Slack hosts). */
  apiUrl: string | null;
  maxFiles?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  onError?: (fileId: string, reason: string) => void;
}

// Slack's snippet types for pasted code and logs; binary uploads (images, PDFs) are never read.
const TEXT_FILETYPES = new Set(['text', 'txt', 'log', 'python', 'javascript', 'typescript', 'json', 'yaml', 'sql', 'shell', 'bash', 'java', 'go', 'ruby', 'rust', 'csharp', 'cpp', 'c', 'kotlin', 'php', 'diff', 'markdown', 'xml', 'toml', 'ini', 'dockerfile', 'csv']);

/** The tail window of a long file: what normaliseInput keeps after the head. */
const TAIL_BYTES = MAX_INPUT_BYTES - HEAD_BYTES - 1;

interface Downloaded {
  text: string;
  /** Bytes downloaded (the whole file, or FAULTLINE_MAX_FILE_BYTES). */
  bytes: number;
  windowed: boolean;
}

export function isTextFile(f: SlackFileLike): boolean {
  if (f.mode === 'snippet') return true;
  if (f.mimetype?.startsWith('text/') && f.mimetype !== 'text/html') return true;
  return f.filetype !== undefined && TEXT_FILETYPES.has(f.filetype);
}

/**
 * The bot token is only ever sent to Slack: *.slack.com over https, or the configured Web API
 * host (whose scheme the operator chose). A file URL anywhere else in a payload is ignored.
 */
export function createHostCheck(apiUrl: string | null): (url: string) => boolean {
  const api = apiUrl ? new URL(apiUrl) : null;
  return (raw) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return false;
    }
    if (api && u.host === api.host && u.protocol === api.protocol) return true;
    if (u.protocol !== 'https:') return false;
    const bases = ['slack.com', ...(api && api.protocol === 'https:' ? [api.hostname] : [])];
    return bases.some((b) => u.hostname === b || u.hostname.endsWith(`.${b}`));
  };
}

export function createSnippetReader(options: SnippetReaderOptions): SnippetReader {
  const maxFiles = options.maxFiles ?? 3;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const allowed = createHostCheck(options.apiUrl);

  const download = async (url: string): Promise<Downloaded | null> => {
    const res = await doFetch(url, {
      headers: { Authorization: `Bearer ${options.botToken}` },
      // A redirect would be Slack sending us to a login page (missing files:read scope).
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const type = res.headers.get('content-type') ?? '';
    if (res.status !== 200 || type.includes('text/html') || !res.body) {
      await res.body?.cancel();
      return null;
    }
    // Only the head and a rolling tail are kept: a 30 MB log never sits whole in memory nor is
    // decoded on the event loop. The engine reads no more than these windows anyway.
    const head: Buffer[] = [];
    let headSize = 0;
    const tail: Buffer[] = [];
    let tailSize = 0;
    let size = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let rest = Buffer.from(value.buffer, value.byteOffset, Math.min(value.length, options.maxBytes - size));
      size += rest.length;
      if (headSize < HEAD_BYTES) {
        const take = rest.subarray(0, HEAD_BYTES - headSize);
        head.push(take);
        headSize += take.length;
        rest = rest.subarray(take.length);
      }
      if (rest.length) {
        tail.push(rest);
        tailSize += rest.length;
        while (tail.length > 1 && tailSize - (tail[0] as Buffer).length >= TAIL_BYTES) tailSize -= (tail.shift() as Buffer).length;
      }
      if (size >= options.maxBytes) {
        await reader.cancel();
        break;
      }
    }
    let tailBuf = Buffer.concat(tail);
    if (size <= HEAD_BYTES + TAIL_BYTES) return { text: Buffer.concat([...head, tailBuf]).toString('utf8'), bytes: size, windowed: false };
    tailBuf = tailBuf.subarray(tailBuf.length - TAIL_BYTES);
    // Cut at line ends so no window starts or ends inside a line (or a UTF-8 sequence).
    const headBuf = Buffer.concat(head);
    const headEnd = headBuf.lastIndexOf(10);
    const tailStart = tailBuf.indexOf(10);
    const headText = headBuf.subarray(0, headEnd > HEAD_BYTES / 2 ? headEnd : headBuf.length).toString('utf8');
    const tailText = tailBuf.subarray(tailStart >= 0 && tailStart < TAIL_BYTES / 2 ? tailStart + 1 : 0).toString('utf8');
    return { text: `${headText}\n${tailText}`, bytes: size, windowed: true };
  };

  const readOne = async (client: webApi.WebClient, file: SlackFileLike): Promise<Downloaded | null> => {
    let f = file;
    if ((f.file_access === 'check_file_info' || !f.url_private) && f.id) {
      const info = await client.files.info({ file: f.id });
      f = { ...f, ...(info.file as SlackFileLike | undefined) };
    }
    if (!isTextFile(f)) return null;
    if (f.size !== undefined && f.size > options.maxBytes) return null;
    const url = f.url_private_download ?? f.url_private;
    if (!url || !allowed(url)) return null;
    return download(url);
  };

  return {
    async read(client, files) {
      const out: SnippetText = { texts: [], skipped: [], window: {} };
      let bytes = 0;
      let windowed = false;
      const candidates = (files ?? []).filter((f) => f.file_access === 'check_file_info' || isTextFile(f));
      for (const f of candidates.slice(0, maxFiles)) {
        try {
          const got = await readOne(client, f);
          if (got?.text) {
            out.texts.push(got.text);
            bytes += got.bytes;
            windowed ||= got.windowed;
          } else out.skipped.push(f.name ?? f.id ?? 'file');
        } catch (err) {
          options.onError?.(f.id ?? '?', err instanceof Error ? err.name : 'error');
          out.skipped.push(f.name ?? f.id ?? 'file');
        }
      }
      for (const f of candidates.slice(maxFiles)) out.skipped.push(f.name ?? f.id ?? 'file');
      if (windowed) out.window.originalBytes = bytes;
      return out;
    },
  };
}
