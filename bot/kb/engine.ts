import { createEngine, type Engine } from '../triage/diagnose.js';
import { formatProblem, loadKnowledge, type KnowledgeProblem } from './load.js';

export interface LoadedEngine {
  engine: Engine;
  problems: KnowledgeProblem[];
}

/**
 * Loads the catalogue and builds the engine. Broken fault files are skipped and returned as
 * problems; the caller decides whether to warn (bot, CLI) or fail (`knowledge check`).
 */
export function loadEngine(knowledgeDir?: string): LoadedEngine {
  const knowledge = loadKnowledge(knowledgeDir);
  return { engine: createEngine(knowledge.faults), problems: knowledge.problems };
}

export function describeProblems(problems: KnowledgeProblem[]): string {
  return `${problems.length} fault file problem(s); those files were skipped. Run 'npx faultline knowledge check' for details.\n${problems.slice(0, 5).map(formatProblem).join('\n')}`;
}
