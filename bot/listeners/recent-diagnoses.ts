import type { Diagnosis } from '../triage/types.js';

/**
 * The latest diagnoses by occurrence id, kept in memory so "More fixes" and feedback on an
 * ephemeral answer can re-render without the pasted text (which is never stored raw). After
 * a restart the listeners fall back to the stored, redacted excerpt.
 */
export interface RecentDiagnoses {
  put(occurrenceId: number, diagnosis: Diagnosis): void;
  get(occurrenceId: number): Diagnosis | null;
}

export function createRecentDiagnoses(max = 500): RecentDiagnoses {
  const map = new Map<number, Diagnosis>();
  return {
    put(id, d) {
      map.delete(id);
      map.set(id, d);
      if (map.size > max) {
        const oldest = map.keys().next();
        if (!oldest.done) map.delete(oldest.value);
      }
    },
    get: (id) => map.get(id) ?? null,
  };
}
