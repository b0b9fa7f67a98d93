import type { Fault } from '../kb/compile.js';
import type { DigestCatalogue } from './digest.js';

/** Fault and fix titles and "fix it once" advice for the digest, from the loaded catalogue. */
export function digestCatalogue(faults: readonly Fault[]): DigestCatalogue {
  const byId = new Map(faults.map((f) => [f.id, f]));
  return {
    faultTitle: (id, lang) => byId.get(id)?.title[lang] ?? null,
    fixTitle: (faultId, fixId, lang) => byId.get(faultId)?.fixes.find((f) => f.id === fixId)?.title[lang] ?? null,
    fixItOnce: (id, lang) => byId.get(id)?.fixOnce?.[lang] ?? null,
  };
}
