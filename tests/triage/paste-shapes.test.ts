import { describe, expect, it } from 'vitest';
import { worthDiagnosing } from '../../bot/listeners/thread-reply.js';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { parsePaste } from '../../bot/triage/parse.js';
import { shippedEngine } from '../helpers.js';

// The shapes real pastes come in besides a clean traceback: an error quoted in a reply, indented
// with a Markdown code block, wrapped over lines, quoted in a title, or a chained exception whose
// traceback was cut off above it. Every input is a real paste from a public thread (the source is
// named above each one; "trimmed" where only part of it is used), none from the accuracy corpora.
const engine = shippedEngine();
const parse = (text: string) => parsePaste(normaliseInput(text), engine.index.knownTypes);

describe('a reply that quotes a whole traceback', () => {
  // https://github.com/htw-pv3/weather-data/issues/23 (a reply quoting an IPython traceback, trimmed)
  const quoted = [
    '> Please provide connection parameters to database:',
    '> Hit [Enter] to take defaults',
    '> ',
    '> ---------------------------------------------------------------------------',
    '> OperationalError                          Traceback (most recent call last)',
    '> C:\\Anaconda3\\lib\\site-packages\\sqlalchemy\\engine\\base.py in _wrap_pool_connect(self, fn, connection)',
    '>    2275         try:',
    '> -> 2276             return fn()',
    '>    2277         except dialect.dbapi.Error as e:',
  ].join('\n');

  it('loses its quote marker on every line, the indented ones included', () => {
    const lines = normaliseInput(quoted).lines;
    expect(lines.filter((l) => l.startsWith('>'))).toEqual([]);
    expect(lines[6]).toBe('   2275         try:');
  });

  it("keeps pytest's own > source marker when the paste is not one quote", () => {
    // pytest's long format marks one line; a quoted blank (a bare ">") or frame header is what a quote has.
    const pytest = '>       assert user.organization.name == "Acme"\n>       await session.commit()';
    expect(normaliseInput(pytest).lines).toEqual(['>       assert user.organization.name == "Acme"', '>       await session.commit()']);
  });
});

describe('a chained exception whose traceback was cut off above it', () => {
  // https://github.com/developmentseed/tipg/issues/72 (trimmed: from the end of the first traceback)
  const trimmed = [
    '           ^^^^^^^^^',
    'asyncio.exceptions.CancelledError',
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    '  File "/home/local/DFPOC/blauju/anaconda3/envs/rsd-stac-api/lib/python3.11/site-packages/asyncpg/connection.py", line 2329, in connect',
    '    return await connect_utils._connect(',
  ].join('\n');

  it('reads the bare class name before the separator as an exception', () => {
    const [first] = parse(trimmed).records;
    expect(first).toMatchObject({ kind: 'exception', type: 'asyncio.exceptions.CancelledError', message: '' });
    expect(engine.diagnose(trimmed).errorOutput).toBe(true);
  });

  it('does not read a lone class name as an exception without the separator after it', () => {
    const records = parse('asyncio.exceptions.CancelledError\n\nwhat does this mean?').records;
    expect(records.some((r) => r.kind === 'exception')).toBe(false);
  });
});

describe('an exception line indented with its code block', () => {
  // https://github.com/ankane/groupdate/issues/154: Rails' wrapper around the pg gem's class, in a
  // Markdown code block indented four spaces.
  const rails = [
    'When I run:',
    '',
    '    Post.group_by_day(:created_at).count',
    '',
    'I get:',
    '',
    `    ActiveRecord::StatementInvalid: PG::GroupingError: ERROR:  column "posts.date" must appear in the GROUP BY clause or be used in an aggregate function LINE 1: ...ERVAL '0 second') AT TIME ZONE 'Etc/UTC' ORDER BY date DESC ...`,
  ].join('\n');

  it("is read as the pg gem's exception, with the SQLSTATE its class names", () => {
    const record = parse(rails).records.find((r) => r.kind === 'exception');
    expect(record).toMatchObject({ type: 'PG::GroupingError', shortType: 'GroupingError', sqlstates: ['42803'] });
    const d = engine.diagnose(rails);
    expect(d.match).toMatchObject({ id: 'postgres.group-by', method: 'code' });
    expect(d.errorOutput).toBe(true);
  });

  it("keeps libpq's indented lines with the message they continue", () => {
    // https://github.com/sidekiq/sidekiq/issues/2892
    const sidekiq = 'PG::Error: server closed the connection unexpectedly\n    This probably means the server terminated abnormally\n     before or while processing the request.\n';
    const [record] = parse(sidekiq).records;
    expect(record?.type).toBe('PG::Error');
    expect(record?.unwrapped).toBe('server closed the connection unexpectedly This probably means the server terminated abnormally before or while processing the request.');
  });
});

describe('a message wrapped over lines', () => {
  it('matches a signature across the wrap and reads the names in it', () => {
    // https://github.com/atviriduomenys/spinta/issues/535: SQLAlchemy's message wrapped by the
    // reporter, continued on indented lines.
    const spinta = [
      'Traceback (most recent call last):',
      '  File "spinta/cli/helpers/data.py", line 55, in count_rows',
      '    count = _get_row_count(context, model)',
      '  File "sqlalchemy/engine/base.py", line 1385, in execute',
      '    cursor.execute(statement, parameters)',
      'sqlalchemy.exc.ProgrammingError: (psycopg2.errors.GroupingError)',
      '  column "cities.id" must appear in the GROUP BY clause or be used in an',
      '  aggregate function',
      'LINE 1: SELECT count(*) AS count_1, cities.id ',
      '                                    ^',
    ].join('\n');
    const d = engine.diagnose(spinta);
    expect(d.match).toMatchObject({ id: 'postgres.group-by', method: 'code' });
    expect(d.match?.confidence).toBeGreaterThanOrEqual(0.97);
    expect(d.entities.captures.column).toBe('cities.id');
  });

  it('joins the lines of a message without its type into one, not a sentence ending in a colon', () => {
    // A test report in a public repository (found with the code index, which does not name the
    // repository): the NoReferencedTableError message wrapped at 60 columns under its heading.
    const report = "**Error Message**:\n```\nForeign key associated with column 'partner_webhooks.userId'\ncould not find table 'users' with which to generate a\nforeign key to target column 'id'\n```\n";
    const records = parse(report).records;
    expect(records.map((r) => r.message.split('\n').length)).toEqual([1, 3]);
    const d = engine.diagnose(report);
    expect(d.match?.id).toBe('sqlalchemy.no-referenced-table');
    // The key's table and column (knowledge/README.md's convention for a foreign key), then the table it references.
    expect(d.entities.captures).toMatchObject({ table: 'partner_webhooks', column: 'userId', related_table: 'users' });
  });
});

describe('an error quoted in a sentence or a title', () => {
  it('is read as the quoted exception, and is a mention rather than the output itself', () => {
    // https://github.com/mozilla/fx-private-relay/issues/2226 (the title)
    const title = 'Error "InterfaceError: cursor already closed"';
    const [record] = parse(title).records;
    expect(record).toMatchObject({ kind: 'exception', type: 'InterfaceError', message: 'cursor already closed', quoted: true });
    const d = engine.diagnose(title);
    expect(d.errorOutput).toBe(false);
    expect(worthDiagnosing(d, false)).toBe(false);
  });

  it('answers from the sentence when the sentence itself is as good evidence as the quote', () => {
    // https://github.com/sacrud/sacrud/issues/100 (the title)
    const title = 'SA error "Instance is not bound to a Session; attribute refresh operation cannot proceed" when add action';
    const d = engine.diagnose(title);
    expect(d.match?.id).toBe('sqlalchemy.detached-instance');
    expect(d.error?.message).toBe(title);
    expect(d.others).toEqual([]);
  });

  it('is diagnosed when asked but gets no unasked reply when the sentence is chat', () => {
    // From the chat corpus (tests/chat/mentions.jsonl).
    const chat = 'Q for the db folks: do we retry on `OperationalError: server closed the connection unexpectedly` or let it fail?';
    const d = engine.diagnose(chat);
    expect(d.match?.id).toBe('psycopg2.server-closed-unexpectedly');
    expect(worthDiagnosing(d, false)).toBe(false);
    expect(worthDiagnosing(d, true)).toBe(true);
  });
});
