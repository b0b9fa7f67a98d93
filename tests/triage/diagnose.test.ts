import { checkRequirement } from '../../bot/triage/fix-forms.js';
import { describe, expect, it } from 'vitest';
import { faultExample, fixture, shippedEngine } from '../helpers.js';

const engine = shippedEngine();
const MG = 'sqlalchemy/missing-greenlet.yaml';
const SINGLE = "sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place? (Background on this error at: https://sqlalche.me/e/20/xd2s)";

describe('the seed case: MissingGreenlet from a pytest run', () => {
  const d = engine.diagnose(faultExample(MG, 'pytest failure, the seed case (result resolved through select(User))'));

  it('is sqlalchemy.missing-greenlet, variant lazy load, matched by the error code', () => {
    expect(d.match).toMatchObject({ id: 'sqlalchemy.missing-greenlet', variant: 'lazy-load', method: 'code' });
    expect(d.match?.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it('resolves `result` to User through the select(User) in the shown source', () => {
    expect(d.entities.models).toEqual(['User', 'Organization']);
    expect(d.entities.attributes).toEqual(['User.organization']);
  });

  it('tailors the snippets to the names', () => {
    const snippets = d.fixes.map((f) => f.snippet).join('\n');
    expect(snippets).toContain('select(User).options(joinedload(User.organization))');
    expect(snippets).toContain('select(User).options(selectinload(User.organization))');
    expect(snippets).toContain('organization: Mapped["Organization"] = relationship(lazy="selectin")');
    expect(snippets).toContain('organization: Mapped["Organization"] = relationship(lazy="raise")');
    expect(snippets).not.toMatch(/YourModel|your_relationship|Parent|child/);
    expect(d.placeholders.filter((p) => p.fallback)).toEqual([]);
  });

  it('ranks joinedload first for a many-to-one and says why', () => {
    expect(d.fixes[0]?.id).toBe('joinedload-option');
    expect(d.fixes[0]?.reasons.join(' ')).toMatch(/many-to-one/);
    expect(d.fixes.map((f) => f.rank)).toEqual(d.fixes.map((_, i) => i + 1));
  });
});

describe('names from a plain traceback', () => {
  it('takes the model from the variable in `return user.organization.name`', () => {
    const d = engine.diagnose(faultExample(MG, 'FastAPI endpoint under uvicorn, the user frame names the variable'));
    expect(d.entities.models).toContain('User');
    expect(d.entities.attributes).toEqual(['User.organization']);
    expect(d.facts.framework).toBe('fastapi');
  });

  it('favours selectinload for a collection and warns that joinedload needs unique()', () => {
    const d = engine.diagnose(faultExample(MG, 'collection relationship in a Pydantic response (SQLAlchemy 1.4, psycopg-free asyncpg)'));
    expect(d.fixes[0]?.snippet).toContain('select(Customer).options(selectinload(Customer.orders))');
    const joined = d.fixes.find((f) => f.id === 'joinedload-option');
    expect(joined?.reasons.join(' ')).toMatch(/unique\(\)/);
    expect(d.fixes.findIndex((f) => f.id === 'joinedload-option')).toBeGreaterThan(0);
    // A 1.4 paste gets the spelling 1.4 runs (the lab: the annotated form fails there).
    const mapping = d.fixes.find((f) => f.id === 'relationship-lazy-default');
    expect(mapping?.form).toBe('classic');
    expect(mapping?.snippet).toContain('orders = relationship("Order", lazy="selectin")');
  });

  it('does not hand a 1.4 user a 2.0-only fix without a word', () => {
    const d = engine.diagnose(faultExample(MG, 'collection relationship in a Pydantic response (SQLAlchemy 1.4, psycopg-free asyncpg)'));
    expect(d.facts.sqlalchemy).toBe('1.4');
    // awaitable_attrs is 2.0.13+: the 1.4 user gets the same explicit load through run_sync.
    const awaitable = d.fixes.find((f) => f.id === 'awaitable-attrs');
    expect(awaitable?.form).toBe('run-sync');
    expect(awaitable?.snippet).toContain('await session.run_sync(');
    expect(awaitable?.snippet).not.toContain('awaitable_attrs');
    // No fix is offered as applicable with a spelling that needs 2.0.
    for (const f of d.fixes.filter((x) => x.available)) expect(checkRequirement(f.requires?.sqlalchemy ?? '>=0', '1.4')).not.toBe('no');
    const refresh = d.fixes.find((f) => f.id === 'refresh-relationship');
    expect(refresh?.available).toBe(false);
    expect(refresh?.caveat).toMatch(/needs sqlalchemy >=2\.0\.4; your paste shows 1\.4/);
    expect(d.fixes.at(-1)?.available).toBe(false);
  });

  it('puts expire_on_commit=False first when commit expired the attribute', () => {
    const d = engine.diagnose(faultExample(MG, 'attribute expired by commit, read after the commit'));
    expect(d.match?.variant).toBe('expired-attribute');
    expect(d.fixes[0]?.id).toBe('expire-on-commit-false');
    expect(d.fixes.some((f) => f.id === 'selectinload-option')).toBe(false);
  });

  it('uses obvious placeholders when no name is in the paste, and says which to replace', () => {
    const d = engine.diagnose(SINGLE);
    // The line does not say which variant it is: the lazy-load fixes are among those offered.
    expect(d.fixes.find((f) => f.variants?.includes('lazy-load'))?.snippet).toContain('YourModel');
    expect(d.placeholders.filter((p) => p.fallback).map((p) => p.value)).toContain('YourModel');
  });

  it('speaks Japanese when asked', () => {
    const d = engine.diagnose(SINGLE, { lang: 'ja' });
    expect(d.match?.title).toMatch(/暗黙の DB アクセス/);
    expect(d.fixes[0]?.tradeoff).toMatch(/影響範囲/);
  });
});

describe('the same error in other shapes', () => {
  it.each([
    ['one line', SINGLE],
    ['Slack-escaped inside a code fence', "```sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can&#39;t call await_only() here. Was IO attempted in an unexpected place? (Background on this error at: &lt;https://sqlalche.me/e/20/xd2s&gt;)```"],
    ['with a log prefix', `2025-03-14 09:12:44,871 ERROR [app.worker] ${SINGLE}`],
    ['with only its background code', 'it failed with (Background on this error at: https://sqlalche.me/e/20/xd2s)'],
    ['inside an exception group', fixture('exception-group.txt')],
    ['as a pytest summary line', 'FAILED tests/test_users.py::test_org - sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can\'t call await_only() here.'],
    ['truncated mid-message', 'sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been cal'],
    ['retyped without the type', 'greenlet spawn has not been called, cant call await only here??'],
  ])('%s', (_name, text) => {
    expect(engine.diagnose(text).match?.id).toBe('sqlalchemy.missing-greenlet');
  });
});

describe('no match where there is nothing to match', () => {
  it.each([
    ['chat about sessions', 'anyone know why our session pool keeps growing after the migration? the loop seems fine'],
    ['a Java stack trace', fixture('java-npe.txt')],
    ['a Go panic', 'panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1d'],
    ['an unrelated Python error', fixture('during-handling.txt')],
  ])('%s', (_name, text) => {
    expect(engine.diagnose(text).match).toBeNull();
  });

  it('says when the text is not an error', () => {
    const d = engine.diagnose('lunch at noon? the new place on 5th');
    expect(d.looksLikeError).toBe(false);
    expect(d.match).toBeNull();
  });
});

describe('other stacks and context', () => {
  it('never lets fuzzy evidence answer a JavaScript paste', () => {
    const d = engine.diagnose("PrismaClientKnownRequestError:\nInvalid `prisma.user.create()` invocation in\n/app/src/users.ts:14:21\n\nUnique constraint failed on the fields: (`email`)\n    at Rn.handleRequestError (/app/node_modules/@prisma/client/runtime/library.js:121:7749)\n  code: 'P2002'");
    expect(d.match).toBeNull();
  });

  it('counts a DNS failure for PostgreSQL only next to a PostgreSQL driver', () => {
    const httpx = 'Traceback (most recent call last):\n  File "/app/.venv/lib/python3.12/site-packages/httpx/_transports/default.py", line 69, in map_httpcore_exceptions\n    yield\nsocket.gaierror: [Errno -2] Name or service not known';
    const asyncpg = 'Traceback (most recent call last):\n  File "/app/.venv/lib/python3.12/site-packages/asyncpg/connect_utils.py", line 1062, in _create_ssl_connection\n    tr, pr = await loop.create_connection(\nsocket.gaierror: [Errno -2] Name or service not known';
    expect(engine.diagnose(httpx).match).toBeNull();
    expect(engine.diagnose(asyncpg).match?.id).toBe('postgres.connection-refused');
  });
});

describe('which error the diagnosis is about', () => {
  it('the crash, not a confident warning printed before it', () => {
    const text = `/app/app/models.py:88: SAWarning: relationship 'Team.members' will copy column teams.id to column memberships.team_id, which conflicts with relationship(s): 'Membership.team' (copies teams.id to memberships.team_id). To silence this warning, add the parameter 'overlaps="team"' to the 'Team.members' relationship. (Background on this warning at: https://sqlalche.me/e/20/qzyx)\n${SINGLE}`;
    const d = engine.diagnose(text);
    expect(d.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(d.others.map((o) => o.faultId)).toContain('sqlalchemy.relationship-overlaps');
  });

  it('the error a message names at its head, not the one it quotes as the original', () => {
    const sentry = "Sentry: PendingRollbackError\nThis Session's transaction has been rolled back due to a previous exception during flush. To begin a new transaction with this Session, first issue Session.rollback(). Original exception was: (sqlalchemy.dialects.postgresql.asyncpg.IntegrityError) <class 'asyncpg.exceptions.ForeignKeyViolationError'>: insert or update on table \"payments\" violates foreign key constraint \"payments_invoice_id_fkey\"\nDETAIL:  Key (invoice_id)=(77) is not present in table \"invoices\".";
    expect(engine.diagnose(sentry).match?.id).toBe('sqlalchemy.pending-rollback');
  });
});

describe('chains and several errors', () => {
  it('explains the failure and mentions the other exceptions', () => {
    const text = `/app/app/models.py:12: SAWarning: This declarative base already contains a class with the same class name and module name\n${faultExample(MG, 'FastAPI endpoint under uvicorn, the user frame names the variable')}`;
    const d = engine.diagnose(text);
    expect(d.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(d.others.map((o) => o.type)).toContain('SAWarning');
  });
});

describe('hostile input answers within bounds and never throws', () => {
  // Each gets no diagnosis, and says what it did with the input where it had to cut or refuse.
  it.each([
    ['empty', '', null],
    ['whitespace', '   \n\t\n', null],
    ['5 MB of log', `INFO request ok\n`.repeat(330_000), /only its first 32 KB and last 224 KB were analysed/],
    ['random binary', Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 2654435761) % 251)), /binary data/],
    ['a 1 MB single line', `ValueError: ${'(a+'.repeat(350_000)}`, /Lines longer than 4000 characters were cut/],
    ['deeply repeated frames', `Traceback (most recent call last):\n${'  File "/app/a.py", line 1, in f\n    f()\n'.repeat(20_000)}RecursionError: maximum recursion depth exceeded`, /the middle was skipped|only its first/],
    ['ANSI soup', '\x1b[31m\x1b[1m'.repeat(50_000), /only its first 32 KB/],
    ['regex bait', `sqlalchemy.exc.InvalidRequestError: ${"'".repeat(100_000)}`, /Lines longer than 4000 characters were cut/],
  ] as const)('%s', (_name, input, note) => {
    const d = engine.diagnose(input);
    expect(d.match).toBeNull();
    if (note) expect(d.input.notes.join(' ')).toMatch(note);
    else expect(d.input.notes).toEqual([]);
  });

  it('says binary input is binary', () => {
    const d = engine.diagnose(Buffer.from([0, 1, 2, 3, 255, 254, 0, 0]));
    expect(d.match).toBeNull();
    expect(d.input.notes.join(' ')).toMatch(/binary/);
  });
});
