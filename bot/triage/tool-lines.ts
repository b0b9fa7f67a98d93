import type { ErrorRecord } from './types.js';

/**
 * Error lines of command-line tools that carry no log level of their own, read where the paste's
 * other lines made records (a paste of nothing else reads every line already):
 * - PostgreSQL's client programs (since 12) print `pg_dump: error: query failed: ERROR:  out of shared memory`;
 * - a shell tool's or a shell script's refusal, printed by a container's entrypoint
 *   (`chown: changing ownership of '/x': Permission denied`, `/sbin/run.sh: line 72: /x: Permission denied`).
 * Interleaved with a log whose lines carry levels, or under a later exception, such a line was no record at all.
 */
const PG_CLIENT_ERROR = /^(?:psql|pg_dump|pg_dumpall|pg_restore|pg_basebackup|pg_ctl|pg_upgrade|initdb|createdb|dropdb|vacuumdb|reindexdb): error: /;
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
