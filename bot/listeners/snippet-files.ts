import type { webApi } from '@slack/bolt';

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

  const download = async (url: string): Promise<string | null> => {
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
    const chunks: Buffer[] = [];
    let size = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      size += value.length;
      if (size > options.maxBytes) {
        await reader.cancel();
        break;
      }
    }
    return Buffer.concat(chunks).subarray(0, options.maxBytes).toString('utf8');
  };

  const readOne = async (client: webApi.WebClient, file: SlackFileLike): Promise<string | null> => {
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
      const out: SnippetText = { texts: [], skipped: [] };
      const candidates = (files ?? []).filter((f) => f.file_access === 'check_file_info' || isTextFile(f));
      for (const f of candidates.slice(0, maxFiles)) {
        try {
          const text = await readOne(client, f);
          if (text) out.texts.push(text);
          else out.skipped.push(f.name ?? f.id ?? 'file');
        } catch (err) {
          options.onError?.(f.id ?? '?', err instanceof Error ? err.name : 'error');
          out.skipped.push(f.name ?? f.id ?? 'file');
        }
      }
      for (const f of candidates.slice(maxFiles)) out.skipped.push(f.name ?? f.id ?? 'file');
      return out;
    },
  };
}
