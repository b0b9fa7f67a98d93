import { describe, expect, it } from 'vitest';
import { expandEscapedTracebacks } from '../../bot/triage/escaped-traceback.js';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { parsePaste } from '../../bot/triage/parse.js';

const parse = (text: string) => parsePaste(normaliseInput(text), new Set());

// A traceback stored as one JSON string (a pipeline's status file, a structured logger's record):
// its line breaks are `\n` escapes, so without decoding no frame or exception line is a line.
// Adapted from https://github.com/PulseDataLabs/PulseFlat/blob/0223cfdb646c0f2031483542b56a557097ef0339/data/pipeline_status.js (one record of the file, trimmed).
const STATUS_RECORD = String.raw`    "anbima_indice_imab": {
      "status": "error",
      "elapsed_seconds": 1.6607787609100342,
      "error": "Traceback (most recent call last):\n  File \"/home/runner/work/PulseFlat/PulseFlat/run_all.py\", line 213, in run_scraper\n    getattr(mod, class_name)().run()\n    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~^^\n  File \"/home/runner/work/PulseFlat/PulseFlat/scrapers/utils/base.py\", line 183, in run\n    raise e\n  File \"/home/runner/work/PulseFlat/PulseFlat/scrapers/utils/base.py\", line 93, in run\n    df = self.fetch()\n  File \"/home/runner/work/PulseFlat/PulseFlat/scrapers/anbima_indice_imab.py\", line 60, in fetch\n    rows, header = capturar()\n                   ~~~~~~~~^^\n  File \"/home/runner/work/PulseFlat/PulseFlat/scrapers/anbima_indice_imab.py\", line 32, in capturar\n    header_existente = read_existing_header(ARQUIVO)\n  File \"/home/runner/work/PulseFlat/PulseFlat/utils/parsers.py\", line 336, in read_existing_header\n    first = f.readline().strip()\n            ~~~~~~~~~~^^\n  File \"<frozen codecs>\", line 325, in decode\nUnicodeDecodeError: 'utf-8' codec can't decode byte 0x8b in position 1: invalid start byte\n",
      "timestamp": "2026-07-16T11:41:48.914146"
    },`;

describe('a traceback escaped inside a JSON string', () => {
  it('is read as a traceback: its frames and its exception line', () => {
    const exceptions = parse(STATUS_RECORD).records.filter((r) => r.kind === 'exception');
    expect(exceptions.map((r) => [r.type, r.message])).toEqual([['UnicodeDecodeError', "'utf-8' codec can't decode byte 0x8b in position 1: invalid start byte"]]);
    expect(exceptions[0]?.frames.map((f) => f.func)).toEqual(['run_scraper', 'run', 'run', 'fetch', 'capturar', 'read_existing_header', 'decode']);
    expect(exceptions[0]?.frames[5]?.code).toBe('first = f.readline().strip()');
  });

  it('keeps the text before the string and drops the closing quote and what follows it', () => {
    const out = expandEscapedTracebacks(String.raw`"error": "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nKeyError: 'x'\n", "ts": 1`);
    expect(out.split('\n')).toEqual(['"error": "', 'Traceback (most recent call last):', '  File "a.py", line 1, in <module>', "KeyError: 'x'", '']);
  });

  it('decodes a string the poster cut before its closing quote, and a single-quoted repr', () => {
    expect(expandEscapedTracebacks(String.raw`"content": "Traceback (most recent call last):\n  File \"C:\\app\\x.py\", line 3, in f\n    g()\n`).split('\n'))
      .toEqual(['"content": "', 'Traceback (most recent call last):', '  File "C:\\app\\x.py", line 3, in f', '    g()', '']);
    expect(expandEscapedTracebacks(String.raw`stackTrace: 'Traceback (most recent call last):\n  File "b.py", line 2, in g\nValueError: it\'s bad\n',`).split('\n'))
      .toEqual(["stackTrace: '", 'Traceback (most recent call last):', '  File "b.py", line 2, in g', "ValueError: it's bad", '']);
  });

  it('leaves text without an escaped traceback unchanged', () => {
    const plain = 'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nKeyError: \'x\'\n';
    expect(expandEscapedTracebacks(plain)).toBe(plain);
    expect(expandEscapedTracebacks(String.raw`print("a\nb")`)).toBe(String.raw`print("a\nb")`);
  });
});
