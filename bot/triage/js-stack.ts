/**
 * Reads the error of a Node.js crash (or any V8 stack) from a paste: the error line and the
 * first frame of the user's own code. Node ends every crash with its version banner
 * (`Node.js v20.11.1`); without this the banner is the last line and every crash looks alike.
 *
 * Written for what `node` prints on an uncaught error:
 *   /app/src/orders.js:12
 *       return order.items.reduce(...)
 *                          ^
 *
 *   TypeError: Cannot read properties of undefined (reading 'reduce')
 *       at total (/app/src/orders.js:12:27)
 *       at Module._compile (node:internal/modules/cjs/loader:1521:14)
 *   ...
 *   Node.js v20.11.1
 */

export interface JsCrash {
  /** The error class, with Node's code when printed (`TypeError [ERR_INVALID_ARG_TYPE]`). */
  type: string;
  /** The first line of the error message. */
  message: string;
  /** The innermost frame in the user's code: function and path without line and column. */
  userFrame: { func: string; file: string } | null;
}

// `    at total (/app/src/orders.js:12:27)`, `    at Function.executeUserEntryPoint [as runMain] (node:...)`,
// `    at async Promise.all (index 0)` (skipped: no location), `    at /app/src/index.js:3:5`.
const JS_FRAME = /^\s{1,16}at (?:async )?(?:(?:new )?([^\s()]{1,300})(?: \[as [^\]\s]{1,100}\])? \(([^()\s]{1,1000})\)|([^()\s]{1,1000}))$/;
// `TypeError: Cannot read ...`, `AssertionError [ERR_ASSERTION]: Expected ...`, `Error: connect ECONNREFUSED`.
const ERROR_HEAD = /^([A-Za-z_$][\w$.]{0,100}(?: \[[A-Z0-9_]{1,80}\])?): (\S.{0,2000})$/;
const LINE_COL = /:\d{1,7}(?::\d{1,7})?$/;
/** How far above the first frame the error line may be (AssertionError prints a diff first). */
const MAX_LINES_ABOVE = 30;
const MAX_LINES_SCANNED = 2000;

function isUserLocation(location: string): boolean {
  return !location.startsWith('node:') && !location.includes('node_modules/') && !location.startsWith('<') && !location.startsWith('internal/') && location !== 'native';
}

/** `/srv/app/src/orders.js:12:27` -> `app/src/orders.js`: stable across machines and builds. */
function stableJsPath(location: string): string {
  const path = location.replace(LINE_COL, '').replace(/^file:\/\//, '').replace(/\\/g, '/');
  return path.split('/').filter(Boolean).slice(-3).join('/');
}

/** A V8 stack frame with a source location (`    at total (/app/src/orders.js:12:27)`). */
export function isJsFrameLine(line: string): boolean {
  if (!line.includes('at ')) return false;
  const m = JS_FRAME.exec(line);
  return m !== null && LINE_COL.test(m[2] ?? m[3] ?? '');
}

export function readJsCrash(lines: readonly string[]): JsCrash | null {
  const scanned = lines.length > MAX_LINES_SCANNED ? lines.slice(-MAX_LINES_SCANNED) : lines;
  const first = scanned.findIndex((l) => l.includes(' at ') || l.startsWith('at ') ? JS_FRAME.test(l) : false);
  if (first < 0) return null;
  let head: RegExpExecArray | null = null;
  for (let i = first - 1; i >= Math.max(0, first - MAX_LINES_ABOVE) && !head; i--) head = ERROR_HEAD.exec(scanned[i] ?? '');
  if (!head) return null;
  let userFrame: JsCrash['userFrame'] = null;
  for (let i = first; i < scanned.length; i++) {
    const m = JS_FRAME.exec(scanned[i] ?? '');
    if (!m) {
      if ((scanned[i] ?? '').trim() === '') break;
      continue;
    }
    const location = m[2] ?? m[3] ?? '';
    if (!isUserLocation(location)) continue;
    userFrame = { func: m[1] ?? '', file: stableJsPath(location) };
    break;
  }
  return { type: head[1] ?? '', message: head[2] ?? '', userFrame };
}
