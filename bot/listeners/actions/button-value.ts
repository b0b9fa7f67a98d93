import { languageFrom } from '../../render/terminal.js';
import type { Diagnosis, Lang } from '../../triage/types.js';
import type { Services } from '../services.js';

/** What the answer's buttons carry (see feedbackActions in render/blocks.ts). */
export interface ButtonValue {
  occurrenceId: number | null;
  faultId: string | null;
  fixId: string | null;
}

/** Parses a button value; anything malformed (stale or forged) reads as "no occurrence". */
export function parseButtonValue(raw: string | undefined): ButtonValue {
  let v: unknown;
  try {
    v = JSON.parse(raw ?? '');
  } catch {
    v = null;
  }
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  return {
    occurrenceId: typeof o.o === 'number' && Number.isSafeInteger(o.o) && o.o > 0 ? o.o : null,
    faultId: typeof o.f === 'string' ? o.f : null,
    fixId: typeof o.x === 'string' ? o.x : null,
  };
}

/**
 * The diagnosis behind an answer: from memory while the process that answered runs, else
 * re-made from the stored redacted excerpt (the names a fix needs survive redaction), else
 * null (the excerpt expired with retention).
 */
export async function diagnosisForOccurrence(services: Services, occurrenceId: number): Promise<{ diagnosis: Diagnosis | null; lang: Lang | null }> {
  const cached = services.recent.get(occurrenceId);
  if (cached) return { diagnosis: cached, lang: cached.lang };
  const occ = await services.store.occurrences.get(occurrenceId);
  if (!occ) return { diagnosis: null, lang: null };
  const lang = languageFrom(occ.lang ?? undefined) ?? services.settings.defaultLang;
  if (!occ.excerpt || !occ.faultId) return { diagnosis: null, lang };
  const d = services.engine.diagnose(occ.excerpt, { lang });
  if (d.match?.id !== occ.faultId) return { diagnosis: null, lang };
  services.recent.put(occurrenceId, d);
  return { diagnosis: d, lang };
}
