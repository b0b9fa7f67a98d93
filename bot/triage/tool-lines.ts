import type { ErrorRecord } from './types.js';

/**
 * Error lines of command-line tools that carry no log level of their own, read where the paste's
 * other lines made records (a paste of nothing else reads every line already):
 * - PostgreSQL's client programs (since 12) print `pg_dump: error: query failed: ERROR:  out of shared memory`;
 * - a shell tool's or a shell script's refusal, printed by a container's entrypoint
 *   (`chown: changing ownership of '/x': Permission denied`, `/sbin/run.sh: line 72: /x: Permission denied`).
 * Interleaved with a log whose lines carry levels, or under a later exception, such a line was no record at all.
 */
export const PG_CLIENT_ERROR = /^(?:psql|pg_dump|pg_dumpall|pg_restore|pg_basebackup|pg_ctl|pg_upgrade|initdb|createdb|dropdb|vacuumdb|reindexdb): error: /;
const SHELL_DENIED = /^(?:(?:chown|chmod|mkdir|touch|cp|mv|rm|ln|find|tee|install): |\/[\w./-]{1,200}: line \d{1,6}: )[^\n]{1,400}: (?:Permission denied|Operation not permitted)$/;
const MAX_TOOL_LINES = 10;
const MAX_LINE = 1000;

export function insertToolLines(records: ErrorRecord[], lines: readonly string[], make: (lineIndex: number, message: string) => ErrorRecord): void {
  let added = 0;
  for (let i = 0; i < lines.length && added < MAX_TOOL_LINES; i++) {
    const line = lines[i] ?? '';
    if (line.length > MAX_LINE || !(line.startsWith('/') || /^[a-z]/.test(line))) continue;
    if (!PG_CLIENT_ERROR.test(line) && !SHELL_DENIED.test(line)) continue;
    const text = line.trim();
    if (records.some((r) => r.lineIndex === i || r.message.includes(text))) continue;
    const at = records.findIndex((r) => r.lineIndex > i);
    records.splice(at < 0 ? records.length : at, 0, make(i, text));
    added++;
  }
}

/**
 * Alembic's revision lines carrying the head marker (alembic/script/base.py, Script._head_only and
 * __str__): `alembic heads` prints `3937bac5b5a1 (head)` (with branch labels `ae1027a6acf (shoppingcart)
 * (head)`), `alembic current` the same per applied head with ` (current)`, `alembic history` and its
 * `--verbose` form `bcf1da0dec28 -> 3937bac5b5a1 (head), add snapshots` and `Rev: 3937bac5b5a1 (head)`.
 * Two distinct revisions so marked are a script directory with several heads, the state `upgrade
 * head` refuses; one marked line alone is the healthy state and says nothing.
 */
const ALEMBIC_HEAD_LINE = /^\s{0,8}(?:Rev: )?(?:(?:<base>|[\w.-]{1,64}(?:, [\w.-]{1,64}){0,8})(?: \([\w., -]{1,200}\))? -> )?([\w.-]{1,64})(?: \([\w.@, -]{1,200}\))? \(head\)(?: \((?:current|branchpoint|mergepoint)\)){0,3}(?:, [^\n]{0,300})?$/;
const MAX_HEAD_LINES = 20;
const MAX_SCANNED_LINES = 5000;

/**
 * The head-marked lines of alembic's output, when they name two revisions or more, as one record
 * read from the first of them: the lines as printed, one per line, so a signature sees them together.
 */
export function insertAlembicHeads(records: ErrorRecord[], lines: readonly string[], make: (lineIndex: number, message: string) => ErrorRecord): void {
  const found: string[] = [];
  const revisions = new Set<string>();
  let first = -1;
  for (let i = 0; i < lines.length && i < MAX_SCANNED_LINES && found.length < MAX_HEAD_LINES; i++) {
    const line = lines[i] ?? '';
    if (line.length > MAX_LINE || !line.includes('(head)')) continue;
    const m = ALEMBIC_HEAD_LINE.exec(line.trimEnd());
    if (!m?.[1]) continue;
    if (first < 0) first = i;
    found.push(line.trim());
    revisions.add(m[1]);
  }
  if (revisions.size < 2) return;
  const at = records.findIndex((r) => r.lineIndex > first);
  records.splice(at < 0 ? records.length : at, 0, make(first, found.join('\n')));
}
