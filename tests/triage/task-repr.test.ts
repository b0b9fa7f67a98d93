import { describe, expect, it } from 'vitest';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { showsMatchedOutput } from '../../bot/triage/error-output.js';
import { parsePaste } from '../../bot/triage/parse.js';
import { readTaskException } from '../../bot/triage/task-repr.js';

const parse = (text: string, known: string[] = []) => parsePaste(normaliseInput(text), new Set(known));

// asyncio's "Task exception was never retrieved" names the exception only in the Task's repr,
// `exception=Class('message')>`; a poster often copies that line and not the traceback under it.
describe("asyncio's repr of a task's unretrieved exception", () => {
  it('reads the class and message of a one-argument repr (adapted from https://github.com/Cryptonian007/Genisys/issues/14, the traceback under it left out)', () => {
    const p = parse(`(i) Creating sessions for all accounts...
Task exception was never retrieved
future: <Task finished name='Task-19' coro=<UpdateMethods._dispatch_update() done, defined at C:\\Users\\user\\AppData\\Local\\Programs\\Python\\Python39\\lib\\site-packages\\telethon\\client\\updates.py:383> exception=ConnectionError('Cannot send requests while disconnected')>
`);
    const exceptions = p.records.filter((r) => r.kind === 'exception');
    expect(exceptions.map((r) => [r.type, r.message])).toEqual([['ConnectionError', 'Cannot send requests while disconnected']]);
  });

  it('keeps several arguments as printed (adapted from https://github.com/appu1232/Discord-Selfbot/issues/431, the traceback under it left out)', () => {
    const line = `future: <Task finished coro=<Track.heartbeat() done, defined at C:\\Users\\someonesomewhere\\Desktop\\Discord-Selfbot-master\\cogs\\track.py:35> exception=ClientConnectorError(10061, "Connect call failed ('115.69.164.101', 8080)")>`;
    expect(readTaskException(line)).toEqual({ type: 'ClientConnectorError', message: `10061, "Connect call failed ('115.69.164.101', 8080)"` });
  });

  it('reads a dotted class and a message in double quotes', () => {
    expect(readTaskException(`future: <Task finished name='Task-3' coro=<main() done, defined at /app/m.py:4> exception=redis.exceptions.ConnectionError("Error 111 connecting to localhost:6379. Connection refused.")>`))
      .toEqual({ type: 'redis.exceptions.ConnectionError', message: 'Error 111 connecting to localhost:6379. Connection refused.' });
  });

  it('leaves a repr that does not end the line, or a lower-case name, alone', () => {
    expect(readTaskException(`future: <Task finished coro=<f() done> exception=ValueError('x')> and then something else`)).toBeNull();
    expect(readTaskException(`set exception=value(3)>`)).toBeNull();
    expect(readTaskException('no repr here')).toBeNull();
  });

  it("counts asyncio's future:/task: line as output once a fault matched, not a sentence about a task", () => {
    expect(showsMatchedOutput(parse(`future: <Task finished name='Task-19' coro=<UpdateMethods._dispatch_update() done, defined at C:\\x\\updates.py:383> exception=ConnectionError('Cannot send requests while disconnected')>`))).toBe(true);
    expect(showsMatchedOutput(parse('my future: <Task list> is empty, any idea why the worker stops?'))).toBe(false);
  });
});
