import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { KnowledgeProblem } from './files.js';
import type { SynonymRule } from './search.js';

const query = z.strictObject({ query: z.string().min(1).max(200), faults: z.array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/)).min(1) });

const rule = z.strictObject({
  words: z.array(z.string().min(1).max(60)).min(1),
  means: z.array(z.string().min(1).max(60)).min(1),
  /** Queries that must find these faults among the first three results. */
  finds: z.array(query).min(1),
  /** Queries that must not put these faults among the first three. */
  not_finds: z.array(query).default([]),
});

const file = z.strictObject({ synonyms: z.array(rule) });

export type SynonymEntry = z.infer<typeof rule>;

/** knowledge/synonyms.yaml, validated; a broken file gives problems and no synonyms (search still works). */
export function loadSynonyms(root: string): { rules: SynonymEntry[]; problems: KnowledgeProblem[] } {
  const path = join(root, 'synonyms.yaml');
  if (!existsSync(path)) return { rules: [], problems: [] };
  const shown = relative(process.cwd(), path) || path;
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'), { uniqueKeys: true });
  } catch (err) {
    return { rules: [], problems: [{ file: shown, field: '', message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` }] };
  }
  const parsed = file.safeParse(data);
  if (!parsed.success) {
    return { rules: [], problems: parsed.error.issues.map((i) => ({ file: shown, field: i.path.map(String).join('.'), message: i.message })) };
  }
  return { rules: parsed.data.synonyms, problems: [] };
}

export function synonymRules(entries: readonly SynonymEntry[]): SynonymRule[] {
  return entries.map((e) => ({ words: e.words, means: e.means }));
}
