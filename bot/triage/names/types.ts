import type { ErrorRecord, Frame, ParsedPaste } from '../types.js';
import type { Role, SourceId } from './roles.js';

/** One name one extractor read off the paste, in one role. */
export interface NameFinding {
  role: Role;
  value: string;
  source: SourceId;
  /** 0-1: how surely the paste names this, in this role. */
  confidence: number;
  /** True when the name is inferred by convention (a table's class, a variable's class), not shown. */
  guess?: boolean;
  /** Findings read from one statement share a group: the attribute goes with its own model. */
  group?: number;
  /** The text it was read from, shortened, for the answer's "where from". */
  evidence?: string;
}

/** A line of code the paste shows, with where it came from. */
export interface CodeLine {
  code: string;
  /** True for the user's own frames (not site-packages, the stdlib or a known framework). */
  user: boolean;
  frame: Frame | null;
}

export interface NameContext {
  parsed: ParsedPaste;
  primary: ErrorRecord | undefined;
  /** The primary record first, then the rest of the chain. */
  ordered: ErrorRecord[];
  /** The innermost user frame's code line of each record, primary first; prose lines of a short paste. */
  failing: CodeLine[];
  /** The user's other frames with code, innermost first (read after `failing`, less surely). */
  outer: CodeLine[];
  /** True when `failing` holds prose (a short paste without frames), not code. */
  prose: boolean;
  /** Every source line shown (pytest source and frame code). */
  source: string[];
  /** The paste's lines joined (empty past 400 lines: the records carry the messages then). */
  text: string;
  /** Allocates a group id for findings read from one statement. */
  group(): number;
}

/** An extractor with the real pastes it was written for (each must find its `expect`). */
export interface NameSource {
  id: SourceId;
  describe: string;
  find(ctx: NameContext, out: NameFinding[]): void;
  examples: { source: string; input: string; expect: Partial<Record<Role, string>> }[];
}

/** A name the answer uses, with where it came from. */
export interface ResolvedName {
  role: Role;
  value: string;
  source: SourceId;
  confidence: number;
  guess: boolean;
  evidence: string | null;
}
