import { createEngine, type Engine } from '../triage/diagnose.js';
import type { KnowledgeProblem } from './files.js';
import { loadKnowledge } from './load.js';

export { describeProblems } from './files.js';

export interface LoadedEngine {
  engine: Engine;
  problems: KnowledgeProblem[];
}

/**
 * Loads the catalogue and builds the engine. Broken fault files are skipped and returned as
 * problems; the caller decides whether to warn (bot, CLI) or fail (`knowledge check`).
 * Commands that only need the engine use loadEngineQuick (kb/snapshot.ts): the same faults,
 * without parsing YAML on every start.
 */
export function loadEngine(knowledgeDir?: string): LoadedEngine {
  const knowledge = loadKnowledge(knowledgeDir);
  return { engine: createEngine(knowledge.faults), problems: knowledge.problems };
}
