import { describe, expect, it } from 'vitest';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { shippedEngine } from '../helpers.js';

// A log pipeline's per-line prefix is taken off before lines are read, but it said where the paste
// ran: `docker compose logs`' `worker_1  | ` is evidence of a container as much as the word "docker".
// The input names it (`wrappers`), and clues and signature contexts read that name with the lines.
const engine = shippedEngine();

// https://github.com/zenodo/zenodo/issues/1415 (adapted: the worker's two lines of the `docker-compose up`
// output as posted; the command line above them, which says docker itself, left out)
const ZENODO_WORKER = [
  'worker_1  | [2018-02-02 14:14:04,293: ERROR/MainProcess] consumer: Cannot connect to amqp://guest:**@127.0.0.1:5672//: [Errno 111] Connection refused.',
  'worker_1  | Trying again in 2.00 seconds...',
].join('\n');

describe('the pipeline a stripped prefix names', () => {
  it('is docker compose for a service prefix with its replica number, on one line or on most', () => {
    expect(normaliseInput(ZENODO_WORKER).wrappers).toEqual(['docker compose logs']);
    expect(normaliseInput(`Starting the stack:\n${ZENODO_WORKER.split('\n')[0]}`).wrappers).toEqual(['docker compose logs']);
  });

  it('is nothing for a table row, a bare timestamp or plain output', () => {
    expect(normaliseInput('name | value\nhost | db').wrappers).toEqual([]);
    expect(normaliseInput('2024-03-14T09:12:44.238986028Z ERROR boom\n2024-03-14T09:12:45.238986028Z ERROR again').wrappers).toEqual([]);
    expect(normaliseInput('consumer: Cannot connect to amqp://guest:**@127.0.0.1:5672//: [Errno 111] Connection refused.').wrappers).toEqual([]);
  });

  it("tells Celery's localhost-in-a-container refusal from a broker that is down (zenodo#1415)", () => {
    const inCompose = engine.diagnose(ZENODO_WORKER);
    expect(inCompose.match?.id).toBe('celery.broker-connection-refused');
    expect(inCompose.match?.variant).toBe('localhost-in-container');
    // The same line without the prefix shows nothing of a container: both variants stay open.
    const bare = engine.diagnose(ZENODO_WORKER.replace(/^worker_1 {2}\| /gm, ''));
    expect(bare.match?.id).toBe('celery.broker-connection-refused');
    expect(bare.match?.variant ?? null).toBeNull();
  });
});
