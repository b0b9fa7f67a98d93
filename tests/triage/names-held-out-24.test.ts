import { describe, expect, it } from 'vitest';
import { fixture, shippedEngine } from '../helpers.js';

// The classes of miss of tests/corpus/names/held-out-24.yaml's first run, each tested on a real paste from ANOTHER public
// thread (never a held-out line), cut from the search tool's excerpt of that thread, so a fix fitted to one paste fails here.

const engine = shippedEngine();

function role(text: string, r: string): { value: string; source: string; guess: boolean } | undefined {
  return engine.diagnose(text).entities.names.find((n) => n.role === r);
}

describe('pydantic errors printed inside a log message column (Rich)', () => {
  it('locations indented to the column, their errors indented further, are read as locations', () => {
    // https://github.com/langflow-ai/langflow/issues/2195 (the description's first code block as posted: pydantic 1 wording
    // under Langflow's Rich console log).
    const paste = [
      'ValidationError: 2 validation errors for HumanMessage',
      '                             content',
      '                               str type expected (type=type_error.str)',
      '                             content',
      '                               value is not a valid list (type=type_error.list)',
    ].join('\n');
    expect(role(paste, 'schema')).toMatchObject({ value: 'HumanMessage', source: 'pydantic', guess: false });
    expect(role(paste, 'field')).toMatchObject({ value: 'content', source: 'pydantic', guess: false });
  });

  it('a header the column wrapped after `for` names the model on the next line', () => {
    // https://github.com/pypa/pip/issues/12775 (a Langflow log filed in pip's tracker; the description's error as posted, cut
    // after the second location's link).
    const paste = [
      '   ValueError: Error building Component Chat Output: 3 validation errors for',
      '                             Message',
      '                             text.str',
      '                               Input should be a valid string [type=string_type,',
      "                             input_value=Message(text='Hejsa', sen...16:38:52', flow_id=None),",
      '                             input_type=Message]',
      '                                 For further information visit',
      '                             https://errors.pydantic.dev/2.7/v/string_type',
      '                             text.is-instance[AsyncIterator]',
      '                               Input should be an instance of AsyncIterator [type=is_instance_of,',
      "                             input_value=Message(text='Hejsa', sen...16:38:52', flow_id=None),",
      '                             input_type=Message]',
      '                                 For further information visit',
      '                             https://errors.pydantic.dev/2.7/v/is_instance_of',
    ].join('\n');
    expect(role(paste, 'schema')).toMatchObject({ value: 'Message', source: 'pydantic', guess: false });
    expect(role(paste, 'field')).toMatchObject({ value: 'text', source: 'pydantic', guess: false });
  });
});

describe("pydantic 2's union member tags after the field", () => {
  it('`text.str` / `text.is-instance[AsyncIterator]` name the field text, not the member', () => {
    // https://github.com/langflow-ai/langflow/issues/12823 (the description's error block as posted, cut before the traceback).
    const paste = [
      'Error building Component Google Generative AI: ',
      '',
      '3 validation errors for Message',
      'text.str',
      "  Input should be a valid string [type=string_type, input_value=[{'type': 'text', 'text':...zkDD83x6Ed4fG7Nt6w=='}}], input_type=list]",
      '    For further information visit https://errors.pydantic.dev/2.12/v/string_type',
      'text.is-instance[AsyncIterator]',
      "  Input should be an instance of AsyncIterator [type=is_instance_of, input_value=[{'type': 'text', 'text':...zkDD83x6Ed4fG7Nt6w=='}}], input_type=list]",
      '    For further information visit https://errors.pydantic.dev/2.12/v/is_instance_of',
      'text.is-instance[Iterator]',
      "  Input should be an instance of Iterator [type=is_instance_of, input_value=[{'type': 'text', 'text':...zkDD83x6Ed4fG7Nt6w=='}}], input_type=list]",
      '    For further information visit https://errors.pydantic.dev/2.12/v/is_instance_of',
    ].join('\n');
    expect(role(paste, 'schema')).toMatchObject({ value: 'Message', guess: false });
    expect(role(paste, 'field')).toMatchObject({ value: 'text', source: 'pydantic', guess: false });
  });
});

describe("pydantic 2's union member tags with a bracket (pydantic's documentation)", () => {
  // No thread whose FIRST location carries a bracketed tag was found (queries in tests/corpus/names/TESTS.md); these are
  // pydantic's own printed errors from docs/concepts/types.md (pydantic/pydantic), as `print(e)` prints them (the docstring's
  // four-space indent taken off).
  it('`s1.is-instance[MySequence]` and `s1.function-after[...json-or-python[...]...].0` name the field s1', () => {
    const paste = [
      '2 validation errors for M',
      's1.is-instance[MySequence]',
      "  Input should be an instance of MySequence [type=is_instance_of, input_value=['a'], input_type=list]",
      's1.function-after[MySequence(), json-or-python[json=list[int],python=chain[is-instance[Sequence],function-wrap[sequence_validator()]]]].0',
      "  Input should be a valid integer, unable to parse string as an integer [type=int_parsing, input_value='a', input_type=str]",
    ].join('\n');
    expect(role(paste, 'schema')).toMatchObject({ value: 'M', guess: false });
    expect(role(paste, 'field')).toMatchObject({ value: 's1', source: 'pydantic', guess: false });
  });

  it('`third_party_type.is-instance[ThirdPartyType]` / `.chain[int,function-plain[...]]` name the field third_party_type', () => {
    const paste = [
      '2 validation errors for Model',
      'third_party_type.is-instance[ThirdPartyType]',
      "  Input should be an instance of ThirdPartyType [type=is_instance_of, input_value='a', input_type=str]",
      'third_party_type.chain[int,function-plain[validate_from_int()]]',
      "  Input should be a valid integer, unable to parse string as an integer [type=int_parsing, input_value='a', input_type=str]",
    ].join('\n');
    expect(role(paste, 'field')).toMatchObject({ value: 'third_party_type', source: 'pydantic', guess: false });
  });
});

describe('a database name that holds a space', () => {
  // SQLite's own output (Python 3.11.7's sqlite3 on SQLite 3.40.1, this machine): tests/fixtures/names/programs/
  // sqlite_spaced_not_null.py.txt and sqlite_spaced_unique.py.txt build a table from spreadsheet-like headers and break it.
  // No thread with such a name outside held-out-24's own line was found (queries in TESTS.md).
  it('`NOT NULL constraint failed: people.Date of Birth` under an INSERT quoting "Date of Birth" names the whole column', () => {
    const paste = fixture('names/sqlite-spaced-not-null.txt');
    expect(role(paste, 'table')).toMatchObject({ value: 'people', guess: false });
    expect(role(paste, 'column')).toMatchObject({ value: 'Date of Birth', guess: false });
  });

  it('`UNIQUE constraint failed: people.Full Name` names the whole column', () => {
    const paste = fixture('names/sqlite-spaced-unique.txt');
    expect(role(paste, 'column')).toMatchObject({ value: 'Full Name', guess: false });
  });

  it('puts such a name in code only where the code quotes it: bare, as an attribute, the placeholder stays', () => {
    const d = engine.diagnose(fixture('names/sqlite-spaced-not-null.txt'));
    expect(d.match?.id).toBeTruthy();
    const snippets = d.fixes.flatMap((f) => [f.snippet, ...f.otherForms.map((o) => o.snippet)]).filter(Boolean).join('\n');
    expect(snippets.length).toBeGreaterThan(0);
    // The name is found (the reply lists it); no snippet has it bare, only inside quotes.
    expect(d.placeholders.find((p) => p.value === "Date of Birth")).toMatchObject({ fallback: false });
    expect(snippets).not.toMatch(/^\s*Date of Birth\s*[:=]/m);
    expect(snippets).not.toMatch(/(?<!["'`])Date of Birth(?!["'`])/);
  });

  it('an unquoted name is one word: a longer name is taken only where the paste quotes it as one identifier', () => {
    // https://github.com/continuent/tungsten-replicator/issues/7 (the description's log lines as posted, cut after the first
    // frame): the generated SELECT did not quote `Rewards Description`, so MySQL read the column `Rewards`, as its message says.
    const paste = [
      'ERROR ParallelExtractorThread SQL failed : SELECT ID, fk_RewardsID, Rewards Description FROM `MyRewards`.`BankRewards` WHERE ID > 1999 AND ID <= 2968 ORDER BY ID',
      "java.sql.SQLSyntaxErrorException: Unknown column 'Rewards' in 'field list'",
      '        at org.drizzle.jdbc.internal.SQLExceptionMapper.get(SQLExceptionMapper.java:99)',
    ].join('\n');
    expect(role(paste, 'column')).toMatchObject({ value: 'Rewards', source: 'message', guess: false });
  });
});
