import { describe, expect, it } from 'vitest';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { parsePaste } from '../../bot/triage/parse.js';
import { worthDiagnosing } from '../../bot/listeners/thread-reply.js';
import { shippedEngine } from '../helpers.js';

// PostgreSQL's client programs (pg_dump, pg_restore, pg_ctl, ... since PostgreSQL 12) print `<program>: error: ...`.
// Interleaved with a log whose lines carry levels, that line has no level of its own and was no record at all.
describe('a PostgreSQL client program\'s error line inside a levelled log', () => {
  // adapted (trimmed) from https://github.com/nextcloud/all-in-one/issues/1638
  const paste = [
    '2022-12-17 01:30:46.376 GMT [1672] PANIC:  could not write to file "pg_logical/replorigin_checkpoint.tmp": No space left on device',
    '2022-12-17 01:30:47.336 GMT [12] LOG:  startup process (PID 1672) was terminated by signal 6: Aborted',
    '2022-12-17 01:30:47.372 GMT [12] LOG:  database system is shut down',
    'pg_dump: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory',
    '        Is the server running locally and accepting connections on that socket?',
    'pg_ctl: PID file "/var/lib/postgresql/data/postmaster.pid" does not exist',
    'Is server running?',
    'Database dump unsuccessful!',
  ].join('\n');

  it('is a record of its own', () => {
    const input = normaliseInput(paste);
    const records = parsePaste(input, shippedEngine().index.knownTypes).records;
    const dump = records.find((r) => r.message.startsWith('pg_dump: error: connection to server on socket'));
    expect(dump).toBeDefined();
    expect(records.filter((r) => r.message.includes('pg_dump: error:'))).toHaveLength(1);
  });
});

// A container entrypoint's shell refusing a mounted path: a record of its own, docker.bind-mount-permission's evidence
// only where the paste is about a container or a mount.
describe('a shell script\'s Permission denied on a path', () => {
  it('is the bind mount\'s evidence in a container report', () => {
    // adapted (trimmed) from https://github.com/Didstopia/starbound-server/issues/16
    const d = shippedEngine().diagnose('Issue: (error line)\n/app/start.sh: line 87: /steamcmd/starbound/linux/starbound_server: Permission denied\n\nSetup:\nI am configuring my docker container using Portainer,\nIf I set a bind address and specifically set a location, in my case, /mnt/games/games/starbound, after the download, I get an error "Permission Denied"');
    expect(d.match?.id).toBe('docker.bind-mount-permission');
    expect(d.entities.captures.path).toBe('/steamcmd/starbound/linux/starbound_server');
  });

  it('is no answer without a container or a mount in the paste (written near-miss)', () => {
    expect(shippedEngine().diagnose('./install.sh: line 12: /usr/local/bin/tool: Permission denied').match).toBeNull();
    expect(shippedEngine().diagnose('/home/me/deploy.sh: line 12: /usr/local/bin/tool: Permission denied').match).toBeNull();
  });
});

// Alembic's own output marks each head revision `(head)` (alembic/script/base.py); two distinct
// revisions so marked are one record of those lines, so the multiple-heads signature reads them together.
describe('alembic output marking revisions as heads', () => {
  const records = (paste: string) => parsePaste(normaliseInput(paste), shippedEngine().index.knownTypes).records;

  it('is one record when two revisions are heads', () => {
    // adapted (cut before the sentence quoting the error) from https://github.com/Morelitea/initiative/pull/1149
    const paste = '`dev` has two alembic heads:\n\n```\n$ alembic heads\n20260813_0175 (head)\n20260813_0176 (head)\n```';
    expect(records(paste).filter((r) => r.message === '20260813_0175 (head)\n20260813_0176 (head)')).toHaveLength(1);
  });

  it('is answered when asked, but is a state report, not error output, so it earns no unasked reply', () => {
    const paste = '`dev` has two alembic heads:\n\n```\n$ alembic heads\n20260813_0175 (head)\n20260813_0176 (head)\n```';
    const d = shippedEngine().diagnose(paste);
    expect(d.match?.id).toBe('alembic.multiple-heads');
    expect(worthDiagnosing(d, true)).toBe(true);
    expect(worthDiagnosing(d, false)).toBe(false);
  });

  it('is no record when every marked line names the same revision', () => {
    // the same PR after its fix: one head, shown by `alembic heads` and again by `alembic history`
    const paste = '$ alembic heads\n20260813_0176 (head)\n\n$ alembic history | head -2\n20260813_0175 -> 20260813_0176 (head), app service embed origin\n20260812_0174 -> 20260813_0175, guild app placement';
    expect(records(paste).some((r) => r.message.includes('\n') && r.message.includes('(head)'))).toBe(false);
    expect(shippedEngine().diagnose(paste).match).toBeNull();
  });
});
