import { describe, expect, it } from 'vitest';
import { compareResults, errorLine, fixStatus, formatTable, parseMeasures, pointReleaseChanges, scenarioStatus, totals, type FaultReport, type FaultResults, type RunOutcome } from '../../bot/lab/results.js';
import { fixtureKnowledge, fixtureTrace } from './helpers.js';

const { engine } = fixtureKnowledge();
const run = (code: number | null, output: string, timedOut = false): RunOutcome => ({ code, output, timedOut, seconds: 0.3 });

describe('reading a run', () => {
  it('collects LAB-MEASURE figures and reports malformed ones', () => {
    const out = 'hello\nLAB-MEASURE {"queries": 2, "connections": 1}\nLAB-MEASURE {"queries": 3}\nLAB-MEASURE {"label": "x"}\nLAB-MEASURE not json\n';
    const { measured, problems } = parseMeasures(out);
    expect(measured).toEqual({ queries: 3, connections: 1 });
    expect(problems).toEqual(['LAB-MEASURE label is not a number', 'LAB-MEASURE line is not JSON: not json']);
  });

  it('finds the exception line of a traceback, also for dotted exception names', () => {
    expect(errorLine(fixtureTrace('undefined-table', 'not-created.bookworm.txt'))).toBe('psycopg2.errors.UndefinedTable: relation "widgets" does not exist');
    expect(errorLine(fixtureTrace('zero-division', 'zero-rate.trixie.txt'))).toBe('ZeroDivisionError: division by zero');
  });
});

describe('a scenario', () => {
  const trace = fixtureTrace('zero-division', 'empty-average.bookworm.txt');

  it('is reproduced when the real trace diagnoses as the fault and its cause', () => {
    expect(scenarioStatus(run(1, trace), engine.diagnose(trace), 'demo.zero-division', 'empty-average', 60)).toEqual({ status: 'reproduced' });
  });

  it('is not reproduced when the trace diagnoses as another cause, and says which', () => {
    const s = scenarioStatus(run(1, trace), engine.diagnose(trace), 'demo.zero-division', 'zero-rate', 60);
    expect(s).toEqual({ status: 'not-reproduced', detail: 'diagnosed as cause empty-average, not zero-rate' });
  });

  it('is not reproduced when the trace is another fault', () => {
    const other = fixtureTrace('undefined-table', 'not-created.trixie.txt');
    const s = scenarioStatus(run(1, other), engine.diagnose(other), 'demo.zero-division', 'empty-average', 60);
    expect(s.status).toBe('not-reproduced');
    expect(s.detail).toMatch(/^diagnosed as demo\.undefined-table \(not-created\), not demo\.zero-division/);
  });

  it('is not reproduced when the program exits 0 or times out, and not applicable on exit 77', () => {
    expect(scenarioStatus(run(0, ''), null, 'demo.zero-division', 'empty-average', 60).detail).toMatch(/exited 0/);
    expect(scenarioStatus(run(null, '', true), null, 'demo.zero-division', 'empty-average', 60)).toEqual({ status: 'not-reproduced', detail: 'timed out after 60s' });
    expect(scenarioStatus(run(77, 'LAB-NOT-APPLICABLE LAB_PGBOUNCER_URL is not set\n'), null, 'x.y', 'c', 60)).toEqual({ status: 'not-applicable', detail: 'LAB_PGBOUNCER_URL is not set' });
  });
});

describe('a fix', () => {
  it('is verified on exit 0 with its figures, fails otherwise with the error line', () => {
    expect(fixStatus(run(0, 'LAB-MEASURE {"queries": 2}\n'), 60)).toEqual({ status: 'verified', measured: { queries: 2 } });
    const trace = fixtureTrace('zero-division', 'zero-rate.trixie.txt');
    expect(fixStatus(run(1, trace), 60)).toEqual({ status: 'fails', detail: 'exit 1: ZeroDivisionError: division by zero' });
    expect(fixStatus(run(null, '', true), 30)).toEqual({ status: 'fails', detail: 'timed out after 30s' });
    expect(fixStatus(run(3, 'LAB-UNKNOWN-FIX this scenario does not implement fix \'typo\'\n'), 60).status).toBe('fails');
  });
});

const recorded: FaultResults = {
  bookworm: {
    versions: { sqlalchemy: '1.4.46', postgresql: '15.20' },
    scenarios: { a: { status: 'reproduced', fixes: { f: { status: 'verified', measured: { queries: 2 } }, g: { status: 'fails', detail: 'exit 1: X' } } } },
  },
};
const clone = (r: FaultResults): FaultResults => structuredClone(r);

describe('comparing with the fault file', () => {
  it('agrees when statuses, figures and release lines match, ignoring details and point releases', () => {
    const fresh = clone(recorded);
    const b = fresh.bookworm!;
    b.versions.postgresql = '15.21';
    b.scenarios.a!.fixes.g!.detail = 'exit 1: Y';
    expect(compareResults(recorded, fresh)).toEqual([]);
    expect(pointReleaseChanges(recorded, fresh)).toEqual(['bookworm: postgresql 15.20 -> 15.21']);
  });

  it('names each status, figure and version that changed', () => {
    const fresh = clone(recorded);
    const b = fresh.bookworm!;
    b.versions.sqlalchemy = '2.0.40';
    b.scenarios.a!.fixes.f = { status: 'verified', measured: { queries: 3 } };
    b.scenarios.a!.fixes.g = { status: 'verified' };
    b.scenarios.b = { status: 'reproduced', fixes: {} };
    expect(compareResults(recorded, fresh)).toEqual([
      'bookworm: sqlalchemy recorded 1.4.46, now 2.0.40',
      'bookworm scenario a fix f: measured queries recorded 2, now 3',
      'bookworm scenario a fix g: recorded fails, now verified',
      'bookworm scenario b: not recorded, now reproduced',
    ]);
  });

  it('counts a world with no recorded results as a disagreement, and ignores worlds not run', () => {
    const fresh: FaultResults = { trixie: clone(recorded).bookworm! };
    expect(compareResults(recorded, fresh)).toEqual(["trixie: no recorded results (run 'npm run lab -- --record')"]);
    expect(compareResults(undefined, fresh)).toHaveLength(1);
    expect(compareResults(recorded, {})).toEqual([]);
  });
});

describe('the table', () => {
  const reports: FaultReport[] = [
    { id: 'demo.one', file: 'f1', lab: 'ran', results: { bookworm: recorded.bookworm!, trixie: { versions: {}, scenarios: { a: { status: 'not-reproduced', detail: 'exited 0', fixes: { f: { status: 'verified' }, g: { status: 'not-applicable', detail: 'no pgbouncer' } } } } } }, disagreements: ['trixie: no recorded results'], notes: [] },
    { id: 'demo.two', file: 'f2', lab: 'unreproducible', unreproducible: 'needs a cloud', results: {}, disagreements: [], notes: [] },
  ];

  it('totals reproduced faults and fixes per world and anywhere', () => {
    const t = totals(reports, ['bookworm', 'trixie']);
    expect(t).toMatchObject({ faults: 2, withScenarios: 1, unreproducible: 1, reproducedAnywhere: 1, fixesRun: 2, fixesVerifiedAnywhere: 1, disagreements: 1 });
    expect(t.worlds.bookworm).toMatchObject({ faultsReproduced: 1, verified: 1, fails: 1 });
    expect(t.worlds.trixie).toMatchObject({ faultsReproduced: 0, verified: 1, notApplicable: 1 });
  });

  it('prints a row per fault, the totals, every failure and every disagreement', () => {
    const text = formatTable(reports, ['bookworm', 'trixie']);
    expect(text).toMatch(/^demo\.one +1\/1 +0\/1 +1\/1\/0 +1\/0\/1 +NO$/m);
    expect(text).toMatch(/^demo\.two +unreproducible +unreproducible +yes$/m);
    expect(text).toContain('demo.one bookworm a --fix g: fails: exit 1: X');
    expect(text).toContain('demo.one trixie a: not-reproduced: exited 0');
    expect(text).toContain('demo.one: trixie: no recorded results');
  });
});
