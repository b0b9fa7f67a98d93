import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabTraces, type LabTrace } from '../../bot/kb/lab-traces.js';
import { loadKnowledge } from '../../bot/kb/load.js';
import { createEngine } from '../../bot/triage/diagnose.js';

// Every trace the knowledge lab recorded (`npm run lab -- --record`) is real output of a program
// that raised the fault's error on Debian's libraries. Each must diagnose as its fault and the
// cause its scenario names. The fixture catalogue's traces keep this test meaningful on its own.
const catalogues = [
  { name: 'the shipped catalogue', dir: undefined },
  { name: 'the lab fixture catalogue', dir: join(import.meta.dirname, '..', 'fixtures', 'lab', 'knowledge') },
];

for (const { name, dir } of catalogues) {
  const knowledge = loadKnowledge(dir);
  const engine = createEngine(knowledge.faults);
  const traces = readLabTraces(knowledge.root, knowledge.faults);

  describe(`recorded lab traces: ${name}`, () => {
    if (dir) {
      it('has traces from both worlds', () => {
        expect(new Set(traces.map((t) => t.world))).toEqual(new Set(['bookworm', 'trixie']));
      });
    }

    it.each(traces.map((t): [string, LabTrace] => [t.origin, t]))('%s diagnoses as its fault and cause', (_origin, t) => {
      expect(t.orphan, `no scenario '${t.scenario}' in ${t.faultId}'s lab section: re-record or delete the trace`).toBe(false);
      const d = engine.diagnose(t.text);
      expect({ fault: d.match?.id ?? null, cause: d.match?.variant ?? null }).toEqual({ fault: t.faultId, cause: t.cause });
    });

    // What a user of that world is offered: every fix marked applicable without a version caveat,
    // in the spelling shown, must be one the lab ran clean in that world whenever the lab ran it
    // there at all. (When the trace does not tell the version, a version-gated fix is shown with
    // "needs SQLAlchemy >=2.0" instead: labelled, not claimed.)
    it('offers on each world\'s real trace only spellings the lab ran clean in that world', () => {
      const wrong: string[] = [];
      for (const t of traces) {
        const fault = knowledge.faults.find((f) => f.id === t.faultId);
        const result = fault?.lab?.results?.[t.world as 'bookworm' | 'trixie'];
        if (!fault || !result) continue;
        const ran = (key: string) => Object.values(result.scenarios).map((s) => s.fixes[key]?.status).filter((s) => s === 'verified' || s === 'fails');
        for (const fix of engine.diagnose(t.text).fixes.filter((x) => x.available && x.caveat === null)) {
          for (const shown of fix.formLabel ? [] : [fix.form ? `${fix.id}/${fix.form}` : fix.id]) {
            const runs = ran(shown);
            if (runs.length && !runs.includes('verified')) wrong.push(`${t.origin}: ${shown} is offered but failed in ${t.world}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('has a trace for every scenario the fault file records as reproduced', () => {
      const missing: string[] = [];
      for (const f of knowledge.faults) {
        const [library, slug] = f.id.split('.') as [string, string];
        for (const [world, r] of Object.entries(f.lab?.results ?? {})) {
          for (const [sid, s] of Object.entries(r.scenarios)) {
            const file = join(knowledge.root, 'lab', 'traces', library, slug, `${sid}.${world}.txt`);
            if (s.status === 'reproduced' && !existsSync(file)) missing.push(file);
          }
        }
      }
      expect(missing).toEqual([]);
    });
  });
}
