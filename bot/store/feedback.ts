import type { Db } from './database.js';
import type { UserKeyFn } from './user-key.js';

export const FEEDBACK_KINDS = ['solved', 'didnt_help', 'wrong'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

export interface NewFeedback {
  occurrenceId: number;
  /** Raw Slack user id of the person who clicked; stored like occurrence users. */
  user: string;
  kind: FeedbackKind;
  /** The fix the person says worked (for `solved`), when the button carried one. */
  fixId?: string | null;
  at?: number;
}

export interface FeedbackStore {
  /**
   * Records a click. One opinion per person per diagnosis: a second click replaces the first.
   * Null when the occurrence does not exist (a stale or forged button value).
   */
  record(feedback: NewFeedback): Promise<{ id: number; replaced: boolean } | null>;
  forOccurrence(occurrenceId: number): Promise<{ kind: FeedbackKind; fixId: string | null; at: number }[]>;
}

const KINDS = new Set<string>(FEEDBACK_KINDS);

/** Checks a click before it reaches a backend; returns the stored user key. */
export function validateFeedback(f: NewFeedback, userKey: UserKeyFn): string {
  if (!KINDS.has(f.kind)) throw new TypeError(`feedback kind must be one of ${FEEDBACK_KINDS.join(', ')}, got ${String(f.kind)}`);
  const key = userKey(f.user);
  if (!key) throw new TypeError('feedback needs the user who gave it');
  return key;
}

export function createFeedbackStore(db: Db, userKey: UserKeyFn, now: () => number): FeedbackStore {
  const exists = db.prepare(`SELECT 1 FROM occurrences WHERE id = ?`).pluck();
  const previous = db.prepare(`SELECT id FROM feedback WHERE occurrence_id = ? AND user_key = ?`).pluck();
  const upsert = db.prepare(`
    INSERT INTO feedback (occurrence_id, user_key, kind, fix_id, at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (occurrence_id, user_key) DO UPDATE SET kind = excluded.kind, fix_id = excluded.fix_id, at = excluded.at
    RETURNING id`).pluck();
  const list = db.prepare(`SELECT kind, fix_id AS fixId, at FROM feedback WHERE occurrence_id = ? ORDER BY at`);

  const record = db.transaction((f: NewFeedback, key: string, at: number) => {
    if (!exists.get(f.occurrenceId)) return null;
    const replaced = previous.get(f.occurrenceId, key) !== undefined;
    const id = upsert.get(f.occurrenceId, key, f.kind, f.fixId ?? null, at) as number;
    return { id, replaced };
  });

  return {
    async record(f) {
      const key = validateFeedback(f, userKey);
      return record.immediate(f, key, Math.floor(f.at ?? now()));
    },
    forOccurrence: async (id) => list.all(id) as { kind: FeedbackKind; fixId: string | null; at: number }[],
  };
}
