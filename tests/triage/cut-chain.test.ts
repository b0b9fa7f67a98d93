import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { parsePaste } from '../../bot/triage/parse.js';
import { shippedEngine } from '../helpers.js';

// FastAPI's form check logs its error before raising it, so the message stands above the traceback
// (the lab's recorded bookworm trace, FastAPI 0.92, shows it). When the paste is cut after a chain's
// separator, the exception above the separator is the handled one, not the error: the logged lines
// are what says what went wrong. The chain below is that trace's own frames, with the handled
// ImportError a logger prints when it shows the context `raise ... from None` hides.
const engine = shippedEngine();
const trace = readFileSync(join(import.meta.dirname, '..', '..', 'knowledge', 'lab', 'traces', 'fastapi', 'python-multipart-missing', 'not-installed.bookworm.txt'), 'utf8').split('\n');
const logged = trace.slice(0, trace.findIndex((l) => l.startsWith('Traceback')));
const frames = trace.slice(trace.findIndex((l) => l.startsWith('Traceback')) + 1, trace.findIndex((l) => l.startsWith('RuntimeError: ')));
const handled = [
  'Traceback (most recent call last):',
  '  File "/usr/lib/python3/dist-packages/fastapi/dependencies/utils.py", line 97, in check_file_field',
  '    from multipart import __version__  # type: ignore',
  "ModuleNotFoundError: No module named 'multipart'",
  '',
  'During handling of the above exception, another exception occurred:',
  '',
  'Traceback (most recent call last):',
];

describe('a chained traceback cut after its separator', () => {
  it('reads the error logged above it: fastapi.python-multipart-missing', () => {
    expect(logged.join('\n')).toContain('Form data requires "python-multipart" to be installed.');
    const d = engine.diagnose([...logged, ...handled, ...frames].join('\n'));
    expect(d.match?.id).toBe('fastapi.python-multipart-missing');
    expect(d.error?.message).toBe('Form data requires "python-multipart" to be installed.');
  });

  it('without the logged lines is only the handled exception, which is not the fault', () => {
    const d = engine.diagnose([...handled, ...frames].join('\n'));
    expect(d.error?.type).toBe('ModuleNotFoundError');
    expect(d.match?.id).not.toBe('fastapi.python-multipart-missing');
  });

  it('with its final exception line is read as before: the last exception is the error', () => {
    const p = parsePaste(normaliseInput([...logged, ...handled, ...frames, 'RuntimeError: Form data requires "python-multipart" to be installed.'].join('\n')), new Set());
    expect(p.records.map((r) => r.shortType)).toEqual(['ModuleNotFoundError', 'RuntimeError']);
  });

  it('does not read the lines above when something above the first frame was read already', () => {
    // pytest's E lines name the error, then the chain's next traceback is cut: nothing more to read.
    const text = [
      '    def do_execute(self, cursor, statement, parameters, context=None):',
      '>       cursor.execute(statement, parameters)',
      'E       psycopg2.errors.UndefinedTable: relation "copr_builds" does not exist',
      '/usr/lib64/python3.8/site-packages/sqlalchemy/engine/default.py:593: UndefinedTable',
      'The above exception was the direct cause of the following exception:',
      '    def clean_before_and_after():',
      '>       clean_db()',
      'tests_requre/conftest.py:161: ',
    ].join('\n');
    const p = parsePaste(normaliseInput(text), new Set(['UndefinedTable']));
    expect(p.records.map((r) => r.kind)).toEqual(['exception']);
  });
});

/** The classes prose names, as [type, quoted] pairs. */
const classesRead = (text: string): [string, boolean | undefined][] =>
  parsePaste(normaliseInput(text), new Set(['MissingGreenlet', 'TimeoutError', 'ArgumentError', 'InvalidRequestError'])).records.filter((r) => r.type).map((r) => [r.type, r.quoted]);

describe('an exception class alone on its line in prose', () => {
  it('is read as a message-less record of that class', () => {
    expect(classesRead('Running the nightly export we hit an error that only says:\nsqlalchemy.exc.MissingGreenlet\nand nothing else in the log.')).toEqual([['sqlalchemy.exc.MissingGreenlet', true]]);
  });

  it('is not read when the class is not one the catalogue names, or has no module', () => {
    expect(classesRead('Read the docs for\nsqlalchemy.orm.Session\nfirst.')).toEqual([]);
    expect(classesRead('the log said\nMissingGreenlet\nagain')).toEqual([]);
  });
});

describe('a sentence saying a call results in an exception class', () => {
  it('reads the class as what the writer got, like "raises" or "I get"', () => {
    expect(classesRead('Removing the `__tablename__` attrs from the child tables results in `sqlalchemy.exc.ArgumentError` exceptions.')).toEqual([['sqlalchemy.exc.ArgumentError', true]]);
  });

  it('not when the sentence says it was fixed', () => {
    expect(classesRead('This fix results in no more `sqlalchemy.exc.ArgumentError` on child tables.')).toEqual([]);
  });

  it('makes the paste error-like (diagnosed when asked), but never output the bot replies to unasked', () => {
    const d = engine.diagnose('Adding the object to a second session results in `sqlalchemy.exc.InvalidRequestError` because it is already attached to session 1 (this is 2).');
    expect(d.looksLikeError).toBe(true);
    expect(d.errorOutput).toBe(false);
  });
});
