/**
 * The secret rules, one per kind of secret. Each carries its own must-redact examples and
 * must-keep counterexamples (after gitleaks), checked by tests/redact/redact-secrets.test.ts
 * together with a backtracking analysis (recheck) of every regex.
 *
 * Rules run on pastes of several MB, so every repeat is bounded and a match can only begin at
 * the start of a token (a lookbehind, or a literal such as `eyJ`): a failed attempt costs at
 * most one token's length, never a rescan from each of its characters. Where that was not
 * enough (URL userinfo, e-mail addresses, SQLAlchemy trailers, PEM blocks) the rule is a small
 * scanner driven by a literal (`://`, `@`, `[parameters: `, `-----BEGIN`).
 */

export interface RuleExample {
  input: string;
  /** Text that must be gone after redaction. */
  secret: string;
  /** Text that must still be there (the names a diagnosis needs). */
  keeps?: string[];
}

export interface SecretRule {
  /** Key in the `counts` of `redactSecrets`. */
  name: string;
  /** Lower-case literals of which every match contains at least one; the rule is skipped otherwise. */
  hints: string[];
  /** The regexes the rule runs, exposed for the backtracking check. */
  patterns: RegExp[];
  apply(text: string): { text: string; count: number };
  examples: RuleExample[];
  /** Inputs the rule must leave byte-identical. */
  counterexamples: string[];
}

/** Assembled at run time so that secret scanners do not flag this file for its fake examples. */
const fake = (...parts: string[]): string => parts.join('');

const FAKE_SLACK_BOT = fake('xox', 'b-', '1234567890', '-', '0987654321', '-', 'AbCdEfGhIjKlMnOpQrStUvWx');
const FAKE_SLACK_APP = fake('xa', 'pp-', '1-A0123456789-1234567890123-', 'abcdef0123456789abcdef0123456789');
const FAKE_OPENAI = fake('s', 'k-', 'proj-', 'Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7j');
const FAKE_AWS_ID = 'AKIAIOSFODNN7EXAMPLE';
const FAKE_AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const FAKE_GITHUB = fake('gh', 'p_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8');
const FAKE_GITHUB_PAT = fake('github', '_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRS');
const FAKE_JWT = fake(
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.',
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0', '.',
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
);

type Replacer = (match: string, ...groups: (string | undefined)[]) => string;

/**
 * The next occurrence of `needle` at or after a position, for scanners that ask again and again
 * with growing positions: the answer is cached until the position passes it, so the text is
 * searched once in total however many times the scanner asks (no quadratic rescans).
 */
function forwardSearch(text: string, needle: string | RegExp): (from: number) => { index: number; end: number } | null {
  const re = typeof needle === 'string' ? null : new RegExp(needle.source, needle.flags.includes('g') ? needle.flags : needle.flags + 'g');
  let cachedFrom = -1;
  let cached: { index: number; end: number } | null = null;
  return (from) => {
    if (cachedFrom !== -1 && from >= cachedFrom && (cached === null || cached.index >= from)) return cached;
    if (re) {
      re.lastIndex = from;
      const m = re.exec(text);
      cached = m ? { index: m.index, end: m.index + m[0].length } : null;
    } else {
      const index = text.indexOf(needle as string, from);
      cached = index === -1 ? null : { index, end: index + (needle as string).length };
    }
    cachedFrom = from;
    return cached;
  };
}

/** End of the line holding `from` (before its `\r\n` or `\n`), or the end of the text. */
function lineEndFinder(text: string): (from: number) => number {
  const next = forwardSearch(text, '\n');
  return (from) => {
    const nl = next(from);
    if (!nl) return text.length;
    return text[nl.index - 1] === '\r' ? nl.index - 1 : nl.index;
  };
}

function regexRule(rule: {
  name: string;
  hints: string[];
  pattern: RegExp;
  replace: string | Replacer;
  examples: RuleExample[];
  counterexamples: string[];
}): SecretRule {
  const { pattern, replace } = rule;
  if (!pattern.global) throw new Error(`rule ${rule.name}: pattern needs the g flag`);
  return {
    name: rule.name,
    hints: rule.hints,
    patterns: [pattern],
    examples: rule.examples,
    counterexamples: rule.counterexamples,
    apply(text) {
      let count = 0;
      const out = text.replace(pattern, (match: string, ...rest: unknown[]) => {
        // The arguments after the groups are the offset, the text and, with named groups, an object.
        const named = typeof rest[rest.length - 1] === 'object';
        const groups = rest.slice(0, named ? -3 : -2) as (string | undefined)[];
        const replacement =
          typeof replace === 'string' ? replace : replace(match, ...groups);
        if (replacement !== match) count++;
        return replacement;
      });
      return { text: out, count };
    },
  };
}

// `-----BEGIN RSA PRIVATE KEY-----`, `-----BEGIN OPENSSH PRIVATE KEY-----`, PGP's `... KEY BLOCK-----`.
const PEM_BEGIN = /-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_MAX_BODY = 64 * 1024;

/**
 * Where the body of a PEM block without its END line stops (a paste cut by Slack): after the
 * last line made only of base64, with any indentation (a key in YAML). Lines also break at
 * JSON's literal `\n` (GCP key files). The first other line is kept.
 */
function pemBodyEnd(text: string, start: number): number {
  const limit = Math.min(text.length, start + PEM_MAX_BODY);
  let end = start;
  let i = start;
  let lineHasBase64 = false;
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    const newline = c === 10 || c === 13 || (c === 92 && text[i + 1] === 'n');
    if (newline) {
      if (lineHasBase64) end = i;
      lineHasBase64 = false;
      if (c === 92) i++;
    } else if (c === 32 || c === 9) {
      if (lineHasBase64) break;
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61) {
      lineHasBase64 = true;
    } else {
      break;
    }
  }
  if (i >= text.length && lineHasBase64) end = i;
  return end;
}

const privateKeyRule: SecretRule = {
  name: 'private_key',
  hints: ['private key'],
  patterns: [PEM_BEGIN, PEM_END],
  apply(text) {
    let count = 0;
    let out = '';
    let from = 0;
    const nextEnd = forwardSearch(text, PEM_END);
    PEM_BEGIN.lastIndex = 0;
    for (let m = PEM_BEGIN.exec(text); m; m = PEM_BEGIN.exec(text)) {
      const bodyStart = m.index + m[0].length;
      const end = nextEnd(bodyStart);
      let stop: number;
      if (end && end.index - bodyStart <= PEM_MAX_BODY) {
        stop = end.end;
      } else {
        stop = pemBodyEnd(text, bodyStart);
      }
      out += text.slice(from, m.index) + '<redacted:private-key>';
      from = stop;
      count++;
      PEM_BEGIN.lastIndex = stop;
    }
    return { text: count ? out + text.slice(from) : text, count };
  },
  examples: [
    {
      input: [
        'ValueError: Could not deserialize key data',
        fake('-----BEGIN ', 'RSA PRIVATE KEY-----'),
        'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
        'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
        fake('-----END ', 'RSA PRIVATE KEY-----'),
        'File "app/auth.py", line 3',
      ].join('\n'),
      secret: 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
      keeps: ['ValueError', 'app/auth.py'],
    },
    {
      input: fake(
        '{"type": "service_account", "private_key": "-----BEGIN ', 'PRIVATE KEY-----',
        '\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END ', 'PRIVATE KEY-----\\n"}',
      ),
      secret: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
      keeps: ['service_account'],
    },
    {
      input: fake('-----BEGIN ', 'OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n[truncated by Slack]'),
      secret: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
      keeps: ['[truncated by Slack]'],
    },
    {
      input: fake('deploy:\n  key: |\n    -----BEGIN ', 'EC PRIVATE KEY-----\n    MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oq\n    AwEHoUQDQgAE7F0FAKE\nTraceback (most recent call last)'),
      secret: 'AwEHoUQDQgAE7F0FAKE',
      keeps: ['deploy:', 'Traceback (most recent call last)'],
    },
  ],
  counterexamples: [
    'ssl.SSLError: [SSL] PEM lib (_ssl.c:3900): check the private key file path',
    fake('-----BEGIN ', 'CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----'),
  ],
};

// SQLAlchemy prints the bound values of a failed statement as `[parameters: (...)]` on the line
// after `[SQL: ...]`. They are user data (e-mails, names, tokens) and the diagnosis never needs
// them, so the whole trailer goes. The values may contain `]`, so the trailer ends at the `]`
// that closes the line (or a JSON-escaped line, in structured logs), not at the first `]`.
const PARAMS_START = /\[parameters: /g;
const PARAMS_MAX = 256 * 1024;

const sqlParametersRule: SecretRule = {
  name: 'sql_parameters',
  hints: ['[parameters: '],
  patterns: [PARAMS_START],
  apply(text) {
    let count = 0;
    let out = '';
    let from = 0;
    const lineEnd = lineEndFinder(text);
    const nextEscaped = forwardSearch(text, ']\\n');
    const nextBackground = forwardSearch(text, '(Background on this error at:');
    PARAMS_START.lastIndex = 0;
    for (let m = PARAMS_START.exec(text); m; m = PARAMS_START.exec(text)) {
      const start = m.index;
      const end = Math.min(lineEnd(start), start + PARAMS_MAX);
      let stop = end;
      // In a JSON log line the traceback continues after an escaped `\n`: stop at the first
      // `]` directly followed by one.
      const escaped = nextEscaped(start);
      if (escaped && escaped.index < stop) stop = escaped.index + 1;
      const background = nextBackground(start);
      if (background && background.index < stop) stop = background.index;
      let head = text.slice(from, start);
      // A trailer alone on its line takes its line with it.
      const lineStart = head.lastIndexOf('\n') + 1;
      const whole = /^\s*$/.test(head.slice(lineStart)) && stop === end;
      if (whole) {
        head = head.slice(0, lineStart);
        if (text[stop] === '\r') stop++;
        if (text[stop] === '\n') stop++;
      }
      out += head;
      from = stop;
      count++;
      PARAMS_START.lastIndex = Math.max(stop, start + 1);
    }
    return { text: count ? out + text.slice(from) : text, count };
  },
  examples: [
    {
      input: [
        'sqlalchemy.exc.IntegrityError: (psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint "users_email_key"',
        'DETAIL:  Key (email) already exists.',
        '[SQL: INSERT INTO users (email, full_name) VALUES (%(email)s, %(full_name)s) RETURNING users.id]',
        "[parameters: {'email': 'someone', 'full_name': 'Hanako Yamada [admin]'}]",
        '(Background on this error at: https://sqlalche.me/e/20/gkpj)',
      ].join('\n'),
      secret: 'Hanako Yamada',
      keeps: ['users_email_key', 'INSERT INTO users (email, full_name)', 'https://sqlalche.me/e/20/gkpj'],
    },
    {
      input: '{"level":"error","exc":"IntegrityError: x\\n[SQL: UPDATE orders SET note=?]\\n[parameters: (\'call me at home\',)]\\n(Background on this error at: https://sqlalche.me/e/20/gkpj)"}',
      secret: 'call me at home',
      keeps: ['UPDATE orders SET note=?', 'sqlalche.me/e/20/gkpj'],
    },
  ],
  counterexamples: [
    'sqlalchemy.exc.ArgumentError: parameters must be a dict or a list of dicts',
    '[SQL: SELECT users.id FROM users WHERE users.id = $1::INTEGER]',
  ],
};

// `scheme://user:password@host`: the password is everything between the first `:` of the
// userinfo and the `@` (SQLAlchemy's own URL parser allows `/` and `:` in it). A scanner from
// each `://` keeps this linear: a regex restarting at every `://` of a hostile `a://a://...`
// would rescan, and a regex starting with a character class is tried at every position.
const URL_MAX_USERINFO = 1024;
const isSchemeChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45 || c === 95;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
// Whitespace, quotes and angle brackets end a URL.
const endsUrl = (c: number) => c <= 32 || c === 34 || c === 39 || c === 60 || c === 62;

const urlPasswordRule: SecretRule = {
  name: 'url_password',
  hints: ['://'],
  patterns: [],
  apply(text) {
    let count = 0;
    let out = '';
    let from = 0;
    for (let sep = text.indexOf('://'); sep !== -1; ) {
      let s = sep;
      while (s > 0 && sep - s < 32 && isSchemeChar(text.charCodeAt(s - 1))) s--;
      const hasScheme = s < sep && isLetter(text.charCodeAt(s)) && !(s > 0 && isSchemeChar(text.charCodeAt(s - 1)));
      const userinfoStart = sep + 3;
      const limit = Math.min(text.length, userinfoStart + URL_MAX_USERINFO);
      let colon = -1;
      let at = -1;
      let i = userinfoStart;
      for (; hasScheme && i < limit; i++) {
        const c = text.charCodeAt(i);
        if (c === 64 /* @ */) {
          at = i;
          break;
        }
        if (endsUrl(c)) break;
        if (c === 47 /* / */ && colon === -1) break; // a path before any `:`: no userinfo
        if (c === 58 /* : */ && colon === -1) colon = i;
      }
      const password = colon === -1 || at === -1 ? '' : text.slice(colon + 1, at);
      // `https://host:8443/a@b` is a port and a path, not a password.
      const isPortAndPath = /^\d{1,5}\//.test(password);
      if (password && password !== '<redacted>' && password !== '***' && !isPortAndPath) {
        out += text.slice(from, colon + 1) + '<redacted>';
        from = at;
        count++;
      }
      sep = text.indexOf('://', Math.max(i, userinfoStart));
    }
    return { text: count ? out + text.slice(from) : text, count };
  },
  examples: [
    {
      input: 'sqlalchemy.exc.OperationalError: connection to postgresql+asyncpg://app_user:s3cr3t-P4ss@db.internal:5432/orders failed',
      secret: 's3cr3t-P4ss',
      keeps: ['postgresql+asyncpg://app_user:', '@db.internal:5432/orders'],
    },
    { input: 'REDIS_URL=redis://:hunter2@cache:6379/0', secret: 'hunter2', keeps: ['@cache:6379/0'] },
    { input: 'amqp://guest:pa/ss:word@rabbit//', secret: 'pa/ss:word', keeps: ['@rabbit//'] },
  ],
  counterexamples: [
    'https://sqlalche.me/e/20/xd2s',
    'postgresql+asyncpg://app_user:***@db.internal:5432/orders',
    'File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 1967',
    'see http://localhost:8000/docs and https://example.com:8443/a@b',
  ],
};

// `password=hunter2`, `"password": "hunter2"`, `DB_PASSWORD: hunter2`, `client_secret='...'`.
// A quoted value runs to its closing quote (`'Tr0ub4dor&3'`); an unquoted one that reads as a
// call or a subscript is code, not a value: `password_hash = Column(String)` and
// `hashed_password: Mapped[str]` in a frame stay as they are.
const KEY_VALUE = new RegExp(
  String.raw`(?<![\w-])((?:[a-z0-9]{1,30}[_-]){0,3}(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)(?:[_-][a-z0-9]{1,30}){0,3})` +
    String.raw`(["']?\s{0,5}(?:=>|[:=])\s{0,5})` +
    String.raw`(?:"([^"\n]{1,1024})"|'([^'\n]{1,1024})'|([^\s"'=,;&(){}\[\]<>][^\s"',;&){}\]<>]{0,1023}))`,
  'gi',
);

const keyValueRule = regexRule({
  name: 'password_pair',
  hints: ['pass', 'pwd', 'secret', 'token', 'key', 'credential'],
  pattern: KEY_VALUE,
  replace: (m, key, sep, doubleQuoted, singleQuoted, bare) => {
    const value = doubleQuoted ?? singleQuoted;
    if (value === '<redacted>') return m;
    if (bare !== undefined && /^[A-Za-z_][\w.]{0,100}[([]/.test(bare)) return m;
    if (doubleQuoted !== undefined) return `${key}${sep}"<redacted>"`;
    if (singleQuoted !== undefined) return `${key}${sep}'<redacted>'`;
    return `${key}${sep}<redacted>`;
  },
  examples: [
    { input: 'psycopg2.OperationalError: host=db user=app password=hunter2 dbname=orders', secret: 'hunter2', keeps: ['dbname=orders', 'user=app'] },
    { input: `request body: {'email': 'x', 'password': 'Tr0ub4dor&3 x'}`, secret: '&3 x', keeps: ["'email'"] },
    { input: 'DB_PASSWORD: correct-horse-battery', secret: 'correct-horse-battery' },
    { input: 'client_secret="abc123def456"', secret: 'abc123def456' },
    { input: 'X-Api-Key: 9f8e7d6c5b4a', secret: '9f8e7d6c5b4a' },
    { input: 'refresh_token => "r1.AAAbbbCCC"', secret: 'r1.AAAbbbCCC' },
  ],
  counterexamples: [
    '    password_hash = Column(String(128), nullable=False)',
    '    hashed_password: Mapped[str] = mapped_column(String(255))',
    "AttributeError: 'User' object has no attribute 'password'",
    'File "app/auth/tokens.py", line 42, in verify_token',
    '    if token == expected:',
  ],
});

const awsSecretRule = regexRule({
  name: 'aws_secret_key',
  hints: ['secret', 'aws'],
  // In config files, env dumps and botocore debug logs the secret follows its key name.
  pattern:
    /(?<![\w-])((?:aws_)?secret_access_key|SecretAccessKey|AWS_SECRET_ACCESS_KEY|aws_secret_key)(["']?\s{0,5}[:=]\s{0,5}["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi,
  replace: (_m, key, sep) => `${key}${sep}<redacted>`,
  examples: [
    { input: `aws_secret_access_key = ${FAKE_AWS_SECRET}`, secret: FAKE_AWS_SECRET },
    { input: `{"AccessKeyId": "${FAKE_AWS_ID}", "SecretAccessKey": "${FAKE_AWS_SECRET}"}`, secret: FAKE_AWS_SECRET },
  ],
  counterexamples: ['botocore.exceptions.NoCredentialsError: Unable to locate credentials'],
});

const awsAccessKeyRule = regexRule({
  name: 'aws_access_key',
  hints: ['akia', 'asia', 'abia', 'acca', 'agpa', 'aida', 'aroa', 'aipa', 'anpa', 'anva', 'apka'],
  pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  replace: '<redacted:aws-key>',
  examples: [
    { input: `botocore.exceptions.ClientError: The AWS Access Key Id ${FAKE_AWS_ID} you provided does not exist`, secret: FAKE_AWS_ID, keeps: ['ClientError'] },
  ],
  counterexamples: ['AKIAOK is not a key', 'role AROA_SHORT'],
});

// A 40-character secret standing next to an access key id, as in `aws configure` output or
// a pasted `.env` line `KEY_ID SECRET`.
const awsPairedSecretRule = regexRule({
  name: 'aws_secret_key',
  // Runs after the access-key rule, which leaves its marker.
  hints: ['<redacted:aws-key>', 'akia', 'asia'],
  pattern: /(?<=(?:<redacted:aws-key>|(?:AKIA|ASIA)[A-Z0-9]{16})[\s:,;|"']{1,10})[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g,
  replace: '<redacted>',
  examples: [{ input: `${FAKE_AWS_ID} ${FAKE_AWS_SECRET}`, secret: FAKE_AWS_SECRET }],
  counterexamples: ['<redacted:aws-key> is unknown'],
});

const slackTokenRule = regexRule({
  name: 'slack_token',
  hints: ['xox', 'xapp-'],
  pattern: /(?<![\w-])(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,250}/g,
  replace: '<redacted:slack-token>',
  examples: [
    { input: `slack_sdk.errors.SlackApiError: invalid_auth (token ${FAKE_SLACK_BOT})`, secret: FAKE_SLACK_BOT, keeps: ['SlackApiError', 'invalid_auth'] },
    { input: `SLACK_APP_TOKEN=${FAKE_SLACK_APP}`, secret: FAKE_SLACK_APP },
  ],
  counterexamples: ['xoxb- tokens start with xoxb', 'the xapp-level token'],
});

const slackWebhookRule = regexRule({
  name: 'slack_webhook',
  hints: ['hooks.slack.com'],
  pattern: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]{8,300}/g,
  replace: (_m, prefix) => `${prefix}<redacted>`,
  examples: [
    { input: 'POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX 404', secret: 'XXXXXXXXXXXXXXXXXXXXXXXX' },
  ],
  counterexamples: ['https://api.slack.com/apps'],
});

const openAiKeyRule = regexRule({
  name: 'openai_key',
  hints: ['sk-'],
  // sk-..., sk-proj-..., sk-svcacct-...; Anthropic's sk-ant-... too. Real keys always hold a
  // digit, which keeps prose like `sk-learn-compatible-estimators-list` out.
  pattern: /(?<![\w-])sk-(?=[A-Za-z_-]{0,300}\d)[A-Za-z0-9_-]{20,300}/g,
  replace: '<redacted:openai-key>',
  examples: [
    { input: `openai.AuthenticationError: Error code: 401 - Incorrect API key provided: ${FAKE_OPENAI}`, secret: FAKE_OPENAI, keeps: ['AuthenticationError'] },
  ],
  counterexamples: ['pip install sk-learn-compatible-estimators-list', 'task-0123456789012345678901234'],
});

const githubTokenRule = regexRule({
  name: 'github_token',
  hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  pattern: /(?<![\w-])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})(?![\w-])/g,
  replace: '<redacted:github-token>',
  examples: [
    { input: `remote: Invalid username or token. https://x-access-token:${FAKE_GITHUB}@github.com/acme/api.git`, secret: FAKE_GITHUB, keeps: ['github.com/acme/api.git'] },
    { input: `GITHUB_TOKEN=${FAKE_GITHUB_PAT}`, secret: FAKE_GITHUB_PAT },
  ],
  counterexamples: ['def ghp_helper(): pass', 'ghs_ short'],
});

const jwtRule = regexRule({
  name: 'jwt',
  hints: ['eyj'],
  pattern: /(?<![\w-])eyJ[\w-]{5,4096}\.eyJ[\w-]{5,16384}(?:\.[\w-]{0,4096})?/g,
  replace: '<redacted:jwt>',
  examples: [
    { input: `jwt.exceptions.ExpiredSignatureError: Signature has expired: ${FAKE_JWT}`, secret: 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', keeps: ['ExpiredSignatureError'] },
  ],
  counterexamples: ['eyJ is base64 for {"'],
});

const authorizationRule = regexRule({
  name: 'authorization',
  hints: ['authorization'],
  pattern:
    /(?<![\w-])((?:proxy-)?authorization["']?\s{0,5}[:=]\s{0,5}["']?)(?!(?:bearer|basic|token|digest|negotiate|apikey)\s{1,5}<)((?:bearer|basic|token|digest|negotiate|apikey)\s{1,5})?[^\s"',;<>][^\s"',;]{0,4095}/gi,
  replace: (_m, head, scheme) => `${head}${scheme ?? ''}<redacted>`,
  examples: [
    { input: "httpx.HTTPStatusError: 401 headers={'Authorization': 'Basic dXNlcjpwYXNz'}", secret: 'dXNlcjpwYXNz', keeps: ['HTTPStatusError', 'Basic'] },
    { input: 'authorization: token abcdef0123456789', secret: 'abcdef0123456789' },
  ],
  counterexamples: ['PermissionError: authorization failed for user'],
});

const bearerRule = regexRule({
  name: 'bearer',
  hints: ['bearer'],
  pattern: /(?<![\w-])(bearer\s{1,5})(?!<redacted)[\w.~+/=-]{8,4096}/gi,
  replace: (_m, scheme) => `${scheme}<redacted>`,
  examples: [
    { input: "curl -H 'Authorization: Bearer abc.def-ghi_jkl0123'", secret: 'abc.def-ghi_jkl0123' },
    { input: 'sent header Bearer 0123456789abcdef to upstream', secret: '0123456789abcdef' },
  ],
  counterexamples: ['the bearer token is missing', 'Bearer <redacted>'],
});

const cookieRule = regexRule({
  name: 'cookie',
  hints: ['cookie'],
  pattern: /(?<![\w-])((?:set-)?cookie["']?\s{0,5}:\s{0,5}["']?)[^\s"'<][^\n"']{0,4095}/gi,
  replace: (_m, head) => `${head}<redacted>`,
  examples: [{ input: 'Cookie: session=eyJ1c2VyIjo0Mn0; csrftoken=abc', secret: 'csrftoken=abc' }],
  counterexamples: ['CookieError: Illegal key value'],
});

const otherKeyRule = regexRule({
  name: 'api_key',
  hints: ['sk_live_', 'rk_live_', 'sk_test_', 'aiza', 'npm_', 'glpat-', 'hf_'],
  // Stripe, Google API, npm, GitLab and Hugging Face tokens: distinctive prefixes, no context needed.
  pattern:
    /(?<![\w-])(?:[sr]k_(?:live|test)_[A-Za-z0-9]{16,247}|AIza[\w-]{35}|npm_[A-Za-z0-9]{36}|glpat-[\w-]{20,50}|hf_[A-Za-z0-9]{30,60})(?![\w-])/g,
  replace: '<redacted:api-key>',
  examples: [
    { input: fake('stripe.error.AuthenticationError: Invalid API Key provided: s', 'k_live_', '51H8abcDEFghiJKLmnoPQR'), secret: '51H8abcDEFghiJKLmnoPQR', keeps: ['AuthenticationError'] },
  ],
  counterexamples: ['hf_hub_download failed', 'npm_config_cache'],
});

// Local part and domain as RFC 5321 allows in practice; the TLD must be letters so numpy's
// `a@b.T` and `pkg@1.2.3` stay. Driven by the `@` signs: a regex starting with the local part
// would be tried at every position of the text.
const EMAIL_DOMAIN = /[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\w-])/y;
const isLocalChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 37 || c === 43 || c === 45;

const emailRule: SecretRule = {
  name: 'email',
  hints: ['@'],
  patterns: [EMAIL_DOMAIN],
  apply(text) {
    let count = 0;
    let out = '';
    let from = 0;
    for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
      let start = at;
      while (start > from && at - start <= 64 && isLocalChar(text.charCodeAt(start - 1))) start--;
      // The local part must start the token (1 to 64 characters after a non-local one).
      if (start === at || at - start > 64 || (start > 0 && isLocalChar(text.charCodeAt(start - 1)))) continue;
      EMAIL_DOMAIN.lastIndex = at + 1;
      const domain = EMAIL_DOMAIN.exec(text);
      if (!domain) continue;
      out += text.slice(from, start) + '<redacted:email>';
      from = EMAIL_DOMAIN.lastIndex;
      at = from - 1;
      count++;
    }
    return { text: count ? out + text.slice(from) : text, count };
  },
  examples: [
    { input: 'DETAIL:  Key (email)=(hanako.yamada+test@example.co.jp) already exists.', secret: 'hanako.yamada', keeps: ['Key (email)=(', ') already exists.'] },
    { input: "ValidationError: value is not a valid email address: 'bob@@example.com' (bob@example.com)", secret: '(bob@example.com)' },
  ],
  counterexamples: ['@app.get("/users/{user_id}")', 'result = a@b.T', 'pip install pkg@1.2.3', 'user@localhost', `${'x'.repeat(70)}@example.com`],
};

// pydantic v2 echoes the offending input: `[type=missing, input_value={'email': ...}, input_type=dict]`.
// The field names are in the error's location lines; the input itself is user data.
const PYDANTIC_INPUT = /\binput_value=/g;
const PYDANTIC_MAX = 64 * 1024;

const pydanticInputRule: SecretRule = {
  name: 'pydantic_input',
  hints: ['input_value='],
  patterns: [PYDANTIC_INPUT],
  apply(text) {
    let count = 0;
    let out = '';
    let from = 0;
    const lineEnd = lineEndFinder(text);
    const nextType = forwardSearch(text, ', input_type=');
    PYDANTIC_INPUT.lastIndex = 0;
    for (let m = PYDANTIC_INPUT.exec(text); m; m = PYDANTIC_INPUT.exec(text)) {
      const start = m.index + m[0].length;
      if (text.startsWith('<redacted>', start)) continue;
      const end = Math.min(lineEnd(start), start + PYDANTIC_MAX);
      const type = nextType(start);
      const stop = type && type.index < end ? type.index : end;
      out += text.slice(from, start) + '<redacted>';
      from = stop;
      count++;
      PYDANTIC_INPUT.lastIndex = stop;
    }
    return { text: count ? out + text.slice(from) : text, count };
  },
  examples: [
    {
      input: "email\n  Field required [type=missing, input_value={'name': 'Taro Suzuki', 'age': 41}, input_type=dict]",
      secret: 'Taro Suzuki',
      keeps: ['email', 'Field required [type=missing, input_value=', ', input_type=dict]'],
    },
  ],
  counterexamples: ['    For further information visit https://errors.pydantic.dev/2.9/v/missing'],
};

// PostgreSQL's DETAIL lines echo row data: `Key (email)=(ana@example.com) already exists.`,
// `Failing row contains (7, Ana, null).` The column names stay (a diagnosis needs them); the
// values are user data, like SQLAlchemy's [parameters: ...]. Values stop at the first `)`,
// which keeps each match unambiguous (linear) on hostile text.
const PG_KEY_VALUES = /\bKey \(([^\n=()]{1,300})\)=\((?!<redacted>\))[^\n)]{0,1000}\)/g;

const pgKeyValuesRule = regexRule({
  name: 'pg_row_values',
  hints: ['key ('],
  pattern: PG_KEY_VALUES,
  replace: (_m, columns) => `Key (${columns ?? ''})=(<redacted>)`,
  examples: [
    { input: 'DETAIL:  Key (email)=(ana@example.com) already exists.', secret: 'ana@example.com', keeps: ['Key (email)=', 'already exists'] },
    { input: 'DETAIL:  Key (customer_id)=(4412) is not present in table "customers".', secret: '4412', keeps: ['customer_id', 'customers'] },
    { input: 'DETAIL:  Key (tenant_id, slug)=(7, acme-internal-billing) already exists.', secret: 'acme-internal-billing', keeps: ['tenant_id, slug'] },
  ],
  counterexamples: ['ERROR:  duplicate key value violates unique constraint "users_email_key"', "KeyError: 'email'"],
});

const FAILING_ROW = 'Failing row contains (';

/** A scanner, not a regex: each `Failing row contains (` is closed by the next `)` or line end, in one pass. */
const pgFailingRowRule: SecretRule = {
  name: 'pg_row_values',
  hints: ['failing row'],
  patterns: [],
  apply(text) {
    let count = 0;
    let out = '';
    let from = 0;
    for (let at = text.indexOf(FAILING_ROW); at >= 0; at = text.indexOf(FAILING_ROW, from)) {
      const open = at + FAILING_ROW.length;
      const close = text.indexOf(')', open);
      const newline = text.indexOf('\n', open);
      const end = close >= 0 && (newline < 0 || close < newline) ? close : newline >= 0 ? newline : text.length;
      if (text.startsWith('<redacted>', open) && end === open + '<redacted>'.length) {
        out += text.slice(from, end);
      } else {
        out += `${text.slice(from, open)}<redacted>`;
        count++;
      }
      from = end;
    }
    return { text: count ? out + text.slice(from) : text, count };
  },
  examples: [
    { input: 'DETAIL:  Failing row contains (12, null, Taro Suzuki, 2024-05-01 10:00:00).', secret: 'Taro Suzuki', keeps: ['Failing row contains (', ').'] },
  ],
  counterexamples: ['null value in column "email" of relation "users" violates not-null constraint'],
};

/**
 * In order: blocks and trailers first (they hold other secret-looking text), then specific
 * token formats, then the key=value catch-all, then e-mail addresses last (the URL rule must
 * see `user:pass@host` before the e-mail rule could take `pass@host`).
 */
export const SECRET_RULES: readonly SecretRule[] = [
  privateKeyRule,
  sqlParametersRule,
  pgKeyValuesRule,
  pgFailingRowRule,
  pydanticInputRule,
  urlPasswordRule,
  slackWebhookRule,
  slackTokenRule,
  openAiKeyRule,
  githubTokenRule,
  otherKeyRule,
  jwtRule,
  awsAccessKeyRule,
  awsPairedSecretRule,
  awsSecretRule,
  authorizationRule,
  bearerRule,
  cookieRule,
  keyValueRule,
  emailRule,
];
