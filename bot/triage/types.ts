/** Shapes shared by the pure triage pipeline: normalise -> parse -> extract -> match -> rank. */
import type { ResolvedName } from './names/types.js';

export type { ResolvedName };

export type Lang = 'en' | 'ja';
export type Text = Record<Lang, string>;

export interface Frame {
  /** File path as printed (`/app/.venv/lib/python3.12/site-packages/sqlalchemy/orm/session.py`). */
  file: string;
  line: number | null;
  func: string;
  /** The source line shown under the frame, trimmed; '' when the traceback has none. */
  code: string;
  /** True when the file is under site-packages / dist-packages / the stdlib. */
  library: boolean;
}

export type RecordKind = 'exception' | 'warning' | 'line';

/** One error the paste reports: a link of a traceback chain, a warning, or a bare error line. */
export interface ErrorRecord {
  kind: RecordKind;
  /** Full dotted type as printed (`sqlalchemy.exc.MissingGreenlet`); '' for bare lines. */
  type: string;
  /** Last dotted segment of `type`. */
  shortType: string;
  /** The message without SQLAlchemy's [SQL]/[parameters]/background trailers, capped. */
  message: string;
  /** Frames of this link's traceback, outermost first. */
  frames: Frame[];
  /** Library error codes on this record (`xd2s` from sqlalche.me/e/20/xd2s, pydantic's `missing`). */
  codes: string[];
  /** PostgreSQL SQLSTATEs the record carries: explicit (`SQLSTATE 42P01`, `pgcode`) or a driver's class (`UndefinedTableError`). */
  sqlstates: string[];
  sql: string | null;
  /** True when a [parameters: ...] trailer was present (its values are user data and are dropped). */
  hadParameters: boolean;
  /** How this record relates to the next one in a chain. */
  link: 'cause' | 'context' | null;
  /** 0-based index of the paste line the record was read from. */
  lineIndex: number;
  /**
   * The message with its line breaks read as spaces, when it has any: a message wrapped by a
   * terminal, a commit message's 72 columns or a hand (`must appear\nin the GROUP BY clause`).
   * Signatures try it when the message as printed does not match.
   */
  unwrapped?: string;
  /**
   * True when the record was read from inside quotes in a sentence (`... on "OperationalError:
   * server closed the connection unexpectedly" ...`): it is diagnosed, but it is a mention of the
   * error, not the error output itself.
   */
  quoted?: boolean;
  /**
   * True when the record is a tool's report of a state rather than an error it printed (`alembic
   * heads` listing two heads): it is diagnosed when asked, but it is not error output, so it earns
   * no unasked reply.
   */
  stateReport?: boolean;
}

export interface ParsedPaste {
  records: ErrorRecord[];
  /** Source lines shown by pytest (`>` marks the failing line) and frame code lines. */
  sourceLines: string[];
  /** The pytest `>` line(s), the failing line of the test or of a user frame. */
  failingLines: string[];
  /** Every normalised line (bounded), for `text` clues and version sniffing. */
  lines: string[];
  /** Records found beyond the cap and left out of `records` (the oldest), for counting only. */
  omitted?: ErrorRecord[];
  /** The input's `wrappers`, as lines `text` clues read beside the paste's own (see NormalisedInput). */
  wrappers?: string[];
}

export interface NormalisedInput {
  text: string;
  lines: string[];
  /** Per line: a stripped log prefix named an error level (ERROR, FATAL, CRITICAL). */
  errorLevel: boolean[];
  /**
   * The logger names the stripped prefixes carried (`ERROR [alembic.env] ` gives `alembic.env`),
   * distinct and capped: evidence of a library like a frame's path, for a signature's `context`.
   */
  loggers?: string[];
  /**
   * The log pipelines whose per-line prefixes were taken off (`docker compose logs`'s `web_1  | `,
   * `kubectl logs --prefix`), named once each as a line of words (`docker compose logs`): the prefix
   * was evidence of where the paste ran, and clues and contexts read these lines with the paste's.
   */
  wrappers?: string[];
  /** What was done to make the input safe to analyse, for the user. */
  notes: string[];
  truncated: boolean;
  binary: boolean;
  bytes: number;
}

export interface Entities {
  models: string[];
  /** `Model.attr` when the model is known, else `attr`. */
  attributes: string[];
  tables: string[];
  fields: string[];
  /** Named-capture values from the signature that matched, plus the name chosen for each role. */
  captures: Record<string, string>;
  /** One name per role the paste fills, with where it came from and how sure (bot/triage/names/). */
  names: ResolvedName[];
}

export type Facts = Record<string, string>;

export type MatchMethod = 'code' | 'signature' | 'fuzzy';

export interface Candidate {
  faultId: string;
  confidence: number;
  method: MatchMethod;
  /** Index into ParsedPaste.records of the record that matched, or -1 for whole-text evidence. */
  recordIndex: number;
  /** Where in the record's message the evidence starts: the head of a message names its error. */
  position: number;
  captures: Record<string, string>;
}

export interface RankedFix {
  id: string;
  rank: number;
  score: number;
  title: string;
  why: string;
  /** What the user is told about cost: queries, scope, risk, effort. */
  tradeoff: string;
  tradeoffs: { queries: string; scope: string; risk: string; effort: string };
  snippet: string;
  lang: string;
  docs: string[];
  /** Set when the fix needs a version the paste does not show or contradicts. */
  caveat: string | null;
  available: boolean;
  /** The prefer rules that moved this fix, in the user's language. */
  reasons: string[];
  /** Which of the fix's spellings `snippet` is (null: the main one), and what it needs. */
  form: string | null;
  requires: Record<string, string> | null;
  /** "SQLAlchemy 1.4.46 (Debian 12), 2.0.40 (Debian 13)" when the lab ran it clean. */
  verifiedOn: string | null;
  /** Why it is not verified (the lab could not run it, or has not yet). */
  notVerified: string | null;
  measured: Record<string, number> | null;
  /** When the paste does not tell the version: `snippet` is for `formLabel`, these for the others. */
  formLabel: string | null;
  otherForms: FixFormVariant[];
  /** The variants (cause ids) this fix addresses among those left possible; null: any of them. */
  variants: string[] | null;
}

export interface FixFormVariant {
  id: string | null;
  requires: Record<string, string> | null;
  label: string;
  snippet: string;
  verifiedOn: string | null;
  notVerified: string | null;
  measured: Record<string, number> | null;
}

export interface Placeholder {
  name: string;
  value: string;
  /** True when the value is a fallback the user must replace. */
  fallback: boolean;
  meaning: string;
  /** The role the placeholder asks for (`parent` and `model` both ask for `model`); null: a fault capture. */
  role: string | null;
  /** Where the name was read (`message`, `code`, `sql`...); null for a fallback. */
  source: string | null;
  /** How sure the name is, 0-1; 0 for a fallback. */
  confidence: number;
  /** True when the name is inferred by convention (a table's class), not shown in the paste. */
  guess: boolean;
}

/** A variant the paste leaves possible, with what would tell it apart in a full traceback. */
export interface VariantOption {
  id: string;
  title: string;
  /** The cause explanation of this variant. */
  cause: string;
  /** Signs of this variant to look for in the full traceback (frames, code lines, message words). */
  lookFor: string[];
}

export interface DiagnosisMatch {
  id: string;
  title: string;
  /**
   * How sure the answer is. When the paste does not show which variant it is, lower than the
   * evidence for the fault alone (knowledge/README.md, "Variants and evidence").
   */
  confidence: number;
  method: MatchMethod;
  /** The cause explanation for the asserted variant; when none is, a sentence saying so. */
  cause: string;
  /** The variant the paste shows evidence for (or the fault's only one); null when it does not tell. */
  variant: string | null;
  variantTitle: string | null;
  /** The variants left possible: the asserted one alone, or each candidate with what to look for. */
  variants: VariantOption[];
  summary: string;
  library: string;
}

export interface OtherError {
  type: string;
  message: string;
  faultId: string | null;
}

export interface Diagnosis {
  match: DiagnosisMatch | null;
  alternatives: { id: string; title: string; confidence: number; method: MatchMethod }[];
  entities: Entities;
  fixes: RankedFix[];
  placeholders: Placeholder[];
  /** The error the diagnosis is about, and the others the paste carries. */
  error: { type: string; message: string } | null;
  others: OtherError[];
  /**
   * Distinct errors in the paste besides the diagnosed one (warnings excluded), after replacing
   * numbers and ids as the fingerprint does; `others` lists the last few of them.
   */
  otherDistinct: number;
  facts: Facts;
  fingerprint: string;
  input: { bytes: number; lines: number; truncated: boolean; notes: string[] };
  /** False when the text does not look like an error at all (it may still mention one). */
  looksLikeError: boolean;
  /**
   * True when the text is error output as a program prints it (a traceback, an exception line,
   * an error-level log record), not chat that mentions an error: only this is answered unasked
   * and recorded.
   */
  errorOutput: boolean;
  lang: Lang;
}
