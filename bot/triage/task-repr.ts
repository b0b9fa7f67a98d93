/**
 * asyncio's report of a task nobody awaited ends with the exception's repr:
 *
 *     Task exception was never retrieved
 *     future: <Task finished name='Task-14' coro=<Worker.start() done, defined at /app/w.py:30> exception=AuthenticationError('invalid username-password pair or user is disabled.')>
 *
 * Often that line is all a poster copies (the traceback under it is long, or the logger dropped
 * it), and it is the only place the exception's class and message appear. Only the repr that
 * closes the Task's `<...>` is read; `exception=` inside a message is not.
 */
const TASK_EXCEPTION = /\bexception=((?:[a-z_]\w{0,60}\.){0,8}[A-Z]\w{2,80})\(([^\n]{0,2000})\)>\s{0,4}$/;
// The repr of a one-argument exception: `Exc('msg')`, `Exc("it's")`, Python 2's `Exc(u'msg',)`.
const SINGLE_STRING = /^u?(?:'([^'\n]{0,2000})'|"([^"\n]{0,2000})"),?$/;

export interface TaskException {
  type: string;
  message: string;
}

/** The class and message of `... exception=Class('message')>` ending a line, or null. */
export function readTaskException(line: string): TaskException | null {
  if (!line.includes('exception=')) return null;
  const m = TASK_EXCEPTION.exec(line.trimEnd());
  if (!m?.[1]) return null;
  const args = (m[2] ?? '').trim();
  const single = SINGLE_STRING.exec(args);
  // Several arguments (`ClientConnectorError(10061, "Connect call failed ...")`) are kept as
  // printed: the words a signature looks for are in them.
  return { type: m[1], message: single ? (single[1] ?? single[2] ?? '') : args };
}
