import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlantedPaste } from './make-corpus.js';

export const WINDOW = 12;

export function loadPlanted(): PlantedPaste[] {
  return readFileSync(join(import.meta.dirname, 'planted.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PlantedPaste);
}

export interface Leak {
  kind: string;
  secret: string;
  /** The piece found: the whole secret or one of its 12-character windows. */
  piece: string;
}

/**
 * Finds every planted secret that is present, whole or as any 12-character window, in a
 * haystack (text or file bytes read as latin1: the secrets are ASCII). One pass over the
 * haystack: its 12-character windows are looked up in a set of the secrets' windows.
 */
export function findLeaks(haystack: string, secrets: readonly { kind: string; value: string }[]): Leak[] {
  const windows = new Map<string, { kind: string; value: string }>();
  const leaks: Leak[] = [];
  const seen = new Set<string>();
  for (const s of secrets) {
    if (s.value.length <= WINDOW) {
      if (haystack.includes(s.value) && !seen.has(s.value)) {
        seen.add(s.value);
        leaks.push({ kind: s.kind, secret: s.value, piece: s.value });
      }
      continue;
    }
    for (let i = 0; i + WINDOW <= s.value.length; i++) windows.set(s.value.slice(i, i + WINDOW), s);
  }
  if (windows.size) {
    for (let i = 0; i + WINDOW <= haystack.length; i++) {
      const piece = haystack.slice(i, i + WINDOW);
      const s = windows.get(piece);
      if (s && !seen.has(s.value)) {
        seen.add(s.value);
        leaks.push({ kind: s.kind, secret: s.value, piece });
      }
    }
  }
  return leaks;
}
