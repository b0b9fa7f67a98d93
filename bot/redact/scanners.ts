/**
 * The few rules a regex cannot express linearly, as small scanners driven by a literal. Each is
 * named by a rule file in knowledge/redaction/ (`scanner: url-userinfo`), which carries its
 * keywords, examples and counterexamples like any other rule.
 */

export interface ScanResult {
  text: string;
  count: number;
}

export type Scanner = (text: string) => ScanResult;

/**
 * The next occurrence of `needle` at or after a position, for scanners that ask again and again
 * with growing positions: the answer is cached until the position passes it, so the text is
 * searched once in total however many times the scanner asks.
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

function lineEndFinder(text: string): (from: number) => number {
  const next = forwardSearch(text, '\n');
  return (from) => {
    const nl = next(from);
    if (!nl) return text.length;
    return text[nl.index - 1] === '\r' ? nl.index - 1 : nl.index;
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

const privateKey: Scanner = (text) => {
  let count = 0;
  let out = '';
  let from = 0;
  const nextEnd = forwardSearch(text, PEM_END);
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m; m = PEM_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    const end = nextEnd(bodyStart);
    const stop = end && end.index - bodyStart <= PEM_MAX_BODY ? end.end : pemBodyEnd(text, bodyStart);
    out += text.slice(from, m.index) + '<redacted:private-key>';
    from = stop;
    count++;
    PEM_BEGIN.lastIndex = stop;
  }
  return { text: count ? out + text.slice(from) : text, count };
};

// SQLAlchemy prints the bound values of a failed statement as `[parameters: (...)]` on the line
// after `[SQL: ...]`. They are user data (e-mails, names, card numbers) and the diagnosis never
// needs them, so the whole trailer goes. The values may contain `]`, so the trailer ends at the
// end of its line (or at a JSON-escaped line break, in structured logs), not at the first `]`.
const PARAMS_START = /\[parameters: /g;
const PARAMS_MAX = 256 * 1024;

const sqlParameters: Scanner = (text) => {
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
};

// `scheme://user:password@host`: the password is everything between the first `:` of the
// userinfo and the `@` before the host. SQLAlchemy's URL parser allows `/`, `:` and `@` in it
// (`postgresql://app:p@ss@db/x` connects with `p@ss`), so with several `@` the last one before
// the first `/` after them ends the password.
const URL_MAX_USERINFO = 1024;
const isSchemeChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45 || c === 95;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
// Whitespace, quotes and angle brackets end a URL.
const endsUrl = (c: number) => c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 96;

const urlUserinfo: Scanner = (text) => {
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
    let slashAfterAt = false;
    let i = userinfoStart;
    for (; hasScheme && i < limit; i++) {
      const c = text.charCodeAt(i);
      if (endsUrl(c)) break;
      if (c === 64 /* @ */) {
        if (slashAfterAt) break;
        at = i;
      } else if (c === 47 /* / */) {
        if (colon === -1) break; // a path before any `:`: no userinfo
        if (at !== -1) slashAfterAt = true;
      } else if (c === 58 /* : */ && colon === -1) colon = i;
    }
    const password = colon === -1 || at === -1 || at < colon ? '' : text.slice(colon + 1, at);
    // `https://host:8443/a@b` is a port and a path, not a password.
    const isPortAndPath = /^\d{1,5}\//.test(password);
    if (password && !password.startsWith('<redacted') && password !== '***' && !isPortAndPath) {
      out += text.slice(from, colon + 1) + '<redacted>';
      from = at;
      count++;
    }
    sep = text.indexOf('://', Math.max(at + 1, userinfoStart));
  }
  return { text: count ? out + text.slice(from) : text, count };
};

// Local part and domain as RFC 5321 allows in practice; the TLD must be letters so numpy's
// `a@b.T` and `pkg@1.2.3` stay. Driven by the `@` signs.
const EMAIL_DOMAIN = /[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\w-])/y;
const isLocalChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 37 || c === 43 || c === 45;

const email: Scanner = (text) => {
  let count = 0;
  let out = '';
  let from = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > from && at - start <= 64 && isLocalChar(text.charCodeAt(start - 1))) start--;
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
};

// pydantic v2 echoes the offending input: `[type=missing, input_value={'email': ...}, input_type=dict]`.
const PYDANTIC_INPUT = /\binput_value=/g;
const PYDANTIC_MAX = 64 * 1024;
// Inputs that are not user data but what the diagnosis reads: `input_value=None` and object
// reprs such as `<coroutine object UserRepository.get at 0x7f3e2d1c0b40>` tell a missing await
// from a missing from_attributes.
const PYDANTIC_KEEP = /^(?:None|True|False|Ellipsis|\[\]|\{\}|''|""|<[^<>\n]{1,300}>)$/;

const pydanticInput: Scanner = (text) => {
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
    if (PYDANTIC_KEEP.test(text.slice(start, stop))) {
      PYDANTIC_INPUT.lastIndex = stop;
      continue;
    }
    out += text.slice(from, start) + '<redacted>';
    from = stop;
    count++;
    PYDANTIC_INPUT.lastIndex = stop;
  }
  return { text: count ? out + text.slice(from) : text, count };
};

const FAILING_ROW = 'Failing row contains (';

/** Each `Failing row contains (` is closed by the next `)` or line end, in one pass. */
const pgFailingRow: Scanner = (text) => {
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
};

export const SCANNERS: Readonly<Record<string, Scanner>> = {
  'private-key': privateKey,
  'sql-parameters': sqlParameters,
  'url-userinfo': urlUserinfo,
  email,
  'pydantic-input': pydanticInput,
  'pg-failing-row': pgFailingRow,
};

/** The regexes inside the scanners, for the backtracking check. */
export const SCANNER_PATTERNS: readonly RegExp[] = [PEM_BEGIN, PEM_END, PARAMS_START, EMAIL_DOMAIN, PYDANTIC_INPUT, PYDANTIC_KEEP];

/** Checks a value may follow a rule's match, by name (`check: luhn` in a rule file). */
export const CHECKS: Readonly<Record<string, (secret: string) => boolean>> = {
  /** Payment card numbers: 13–19 digits with a valid Luhn checksum and a card network's prefix. */
  luhn(secret) {
    const digits = secret.replace(/[ -]/g, '');
    if (!/^\d{13,19}$/.test(digits)) return false;
    if (!/^(?:4|5[1-5]|2[2-7]|3[47]|3(?:0[0-5]|[68])|6(?:011|5|4[4-9]|2)|35)/.test(digits)) return false;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = digits.charCodeAt(digits.length - 1 - i) - 48;
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    return sum % 10 === 0;
  },
  /** Real keys hold a digit; prose such as `sk-learn-compatible-estimators` does not. */
  'has-digit': (secret) => /\d/.test(secret),
  /** Random tokens mix cases or digits; words and identifiers (`my_access_token_name`) do not. */
  'looks-random': (secret) => {
    const classes = Number(/[a-z]/.test(secret)) + Number(/[A-Z]/.test(secret)) + Number(/\d/.test(secret));
    return classes >= 2;
  },
};
