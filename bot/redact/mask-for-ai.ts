import { redact } from './redact.js';

export interface MaskedText {
  /** Secrets redacted, hosts and paths replaced by `<HOST_n>` / `<PATH_n>`. */
  text: string;
  /** Secrets removed, by rule (as `redact`). */
  counts: Record<string, number>;
  hosts: number;
  paths: number;
  /** Puts the original hosts and paths back into text the model wrote; secrets stay redacted. */
  restore(answer: string): string;
}

// Documentation and well-known service hosts tell the model which library is involved and
// leak nothing about the user's infrastructure.
const PUBLIC_HOSTS = [
  'localhost',
  'sqlalche.me',
  'sqlalchemy.org',
  'pydantic.dev',
  'python.org',
  'github.com',
  'githubusercontent.com',
  'tiangolo.com',
  'starlette.io',
  'djangoproject.com',
  'celeryq.dev',
  'stackoverflow.com',
  'pypi.org',
  'postgresql.org',
  'mysql.com',
  'slack.com',
  'openai.com',
  'example.com',
  'example.org',
];
const PUBLIC_IPS = new Set(['127.0.0.1', '0.0.0.0']);

function isPublicHost(host: string): boolean {
  const h = host.toLowerCase();
  return PUBLIC_HOSTS.some((p) => h === p || h.endsWith(`.${p}`)) || PUBLIC_IPS.has(h);
}

/** Absolute paths: `/app/.venv/lib/python3.12/site-packages/x.py`, `~/src/app.py`, `C:\Users\a\b.py`. */
const ABSOLUTE_PATH = /(?<![\w.~/\\:@-])(?:~|[A-Za-z]:)?(?:[\\/][\w.@+~-]{1,128}){2,40}/g;
/** The part of a library path that differs between machines ends at these folders. */
const ENVIRONMENT_DIR = /[\\/](?:site-packages|dist-packages|node_modules)(?=[\\/])/;

/** The host of a URL, after any userinfo: `postgresql+asyncpg://app:<redacted>@db.internal:5432/`. */
const URL_HOST = /(?<![\w+.-])([a-z][\w+.-]{0,30}:\/\/(?:[^\s/@"']{0,300}@)?)([A-Za-z0-9][A-Za-z0-9.-]{0,252})/gi;
/** Hosts named in driver messages: `host=db`, `server at "db.internal"`, `host name "pg"`. */
const NAMED_HOST =
  /(?<![\w-])((?:host name|hostname|host|server at)(?:\s{0,3}[=:]\s{0,3}["'(]?|\s{1,3}["'(]))([A-Za-z0-9][A-Za-z0-9.-]{0,252})/gi;
/** redis-py and others: `Error 111 connecting to redis-master:6379.` */
const CONNECTING_TO = /(?<![\w-])((?:connecting|connect) to\s{1,3})([A-Za-z0-9][A-Za-z0-9.-]{0,252})(?=:\d{1,5})/gi;
const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])/g;

/** Every regex above, for the backtracking check in the tests. */
export const MASK_PATTERNS: readonly RegExp[] = [ABSOLUTE_PATH, ENVIRONMENT_DIR, URL_HOST, NAMED_HOST, CONNECTING_TO, IPV4];

/**
 * Prepares text for an external model: secrets are redacted for good, and hosts and
 * filesystem paths become stable placeholders the answer can use and `restore` puts back.
 * Model, attribute, table and field names are left as they are.
 */
export function maskForAi(input: string): MaskedText {
  const { text: redacted, counts } = redact(input);
  const originals = new Map<string, string>();
  const byOriginal = { HOST: new Map<string, string>(), PATH: new Map<string, string>() };
  const placeholder = (kind: 'HOST' | 'PATH', original: string): string => {
    const seen = byOriginal[kind].get(original);
    if (seen) return seen;
    const name = `<${kind}_${byOriginal[kind].size + 1}>`;
    byOriginal[kind].set(original, name);
    originals.set(name, original);
    return name;
  };

  let text = redacted.replace(ABSOLUTE_PATH, (path) => {
    const env = ENVIRONMENT_DIR.exec(path);
    // Keep what identifies the code (`site-packages/sqlalchemy/orm/session.py`, `users.py`),
    // hide where it lives.
    const cut = env ? env.index : Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    if (cut <= 0) return path;
    return placeholder('PATH', path.slice(0, cut)) + path.slice(cut);
  });
  const maskHost = (whole: string, head: string, host: string): string => {
    const bare = host.replace(/\.+$/, '');
    if (!bare.includes('.') && !/[a-z]/i.test(bare)) return whole;
    if (isPublicHost(bare)) return whole;
    return head + placeholder('HOST', bare) + host.slice(bare.length);
  };
  text = text.replace(URL_HOST, maskHost).replace(NAMED_HOST, maskHost).replace(CONNECTING_TO, maskHost);
  text = text.replace(IPV4, (ip) => {
    if (ip.split('.').some((o) => Number(o) > 255) || PUBLIC_IPS.has(ip)) return ip;
    return placeholder('HOST', ip);
  });

  return {
    text,
    counts,
    hosts: byOriginal.HOST.size,
    paths: byOriginal.PATH.size,
    restore: (answer) => answer.replace(/<(?:HOST|PATH)_\d{1,6}>/g, (name) => originals.get(name) ?? name),
  };
}
