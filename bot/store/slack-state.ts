import type { Db } from './database.js';

export const CHANNEL_MODES = ['auto', 'mention-only', 'off'] as const;
export type ChannelMode = (typeof CHANNEL_MODES)[number];

export interface ReplyKey {
  workspace: string;
  channel: string;
  /** The thread the reply goes to (the parent message's ts). */
  threadTs: string;
  /** The fault id, or the fingerprint for an answer without a curated fault (no match, AI). */
  faultKey: string;
}

/** What the Slack listeners need so that redeliveries, retries and edits never double-reply. */
export interface SlackState {
  /** True the first time an event id is seen (Slack retries resend the same `event_id`). */
  markEventSeen(eventId: string, at?: number): Promise<boolean>;
  /** True when this process may reply: nobody has replied about this fault in this thread. */
  claimReply(key: ReplyKey, at?: number): Promise<boolean>;
  /** Remembers the reply's ts once posted (for chat.update). */
  setReplyTs(key: ReplyKey, replyTs: string): Promise<void>;
  replyTs(key: ReplyKey): Promise<string | null>;
  /** Gives the claim back when posting failed, so a retry can answer. */
  releaseReply(key: ReplyKey): Promise<void>;
  /**
   * Remembers the fingerprint diagnosed for a message; returns the previous one, so a
   * `message_changed` is re-diagnosed only when the error changed.
   */
  swapMessageFingerprint(message: { workspace: string; channel: string; ts: string }, fingerprint: string, at?: number): Promise<string | null>;
  /** The mode set for a channel, or null when never set (the configured default applies). */
  channelMode(workspace: string, channel: string): Promise<ChannelMode | null>;
  setChannelMode(workspace: string, channel: string, mode: ChannelMode, setBy?: string | null, at?: number): Promise<void>;
  /** Forgets event ids and message fingerprints older than `before` (ms). */
  purge(before: number): Promise<{ events: number; messages: number }>;
}

const MODES = new Set<string>(CHANNEL_MODES);

export function validateChannelMode(mode: ChannelMode): void {
  if (!MODES.has(mode)) throw new TypeError(`channel mode must be one of ${CHANNEL_MODES.join(', ')}, got ${String(mode)}`);
}

export function createSlackState(db: Db, now: () => number, userKey: (id: string | null) => string | null): SlackState {
  const seen = db.prepare(`INSERT INTO slack_events (event_id, at) VALUES (?, ?) ON CONFLICT DO NOTHING`);
  const claimReply = db.prepare(`
    INSERT INTO slack_replies (workspace, channel, thread_ts, fault_key, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const setReplyTs = db.prepare(`UPDATE slack_replies SET reply_ts = ? WHERE workspace = ? AND channel = ? AND thread_ts = ? AND fault_key = ?`);
  const getReplyTs = db.prepare(`SELECT reply_ts FROM slack_replies WHERE workspace = ? AND channel = ? AND thread_ts = ? AND fault_key = ?`).pluck();
  const release = db.prepare(`DELETE FROM slack_replies WHERE workspace = ? AND channel = ? AND thread_ts = ? AND fault_key = ? AND reply_ts IS NULL`);
  const oldFingerprint = db.prepare(`SELECT fingerprint FROM slack_messages WHERE workspace = ? AND channel = ? AND message_ts = ?`).pluck();
  const putFingerprint = db.prepare(`
    INSERT INTO slack_messages (workspace, channel, message_ts, fingerprint, at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET fingerprint = excluded.fingerprint, at = excluded.at`);
  const getMode = db.prepare(`SELECT mode FROM channel_modes WHERE workspace = ? AND channel = ?`).pluck();
  const setMode = db.prepare(`
    INSERT INTO channel_modes (workspace, channel, mode, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET mode = excluded.mode, updated_by = excluded.updated_by, updated_at = excluded.updated_at`);
  const purgeEvents = db.prepare(`DELETE FROM slack_events WHERE at < ?`);
  const purgeMessages = db.prepare(`DELETE FROM slack_messages WHERE at < ?`);

  const k = (key: ReplyKey) => [key.workspace, key.channel, key.threadTs, key.faultKey] as const;
  const swap = db.transaction((m: { workspace: string; channel: string; ts: string }, fingerprint: string, at: number) => {
    const before = (oldFingerprint.get(m.workspace, m.channel, m.ts) as string | undefined) ?? null;
    putFingerprint.run(m.workspace, m.channel, m.ts, fingerprint, at);
    return before;
  });

  return {
    markEventSeen: async (eventId, at) => seen.run(eventId, at ?? now()).changes === 1,
    claimReply: async (key, at) => claimReply.run(...k(key), at ?? now()).changes === 1,
    setReplyTs: async (key, ts) => void setReplyTs.run(ts, ...k(key)),
    replyTs: async (key) => (getReplyTs.get(...k(key)) as string | null | undefined) ?? null,
    releaseReply: async (key) => void release.run(...k(key)),
    swapMessageFingerprint: async (m, fingerprint, at) => swap.immediate(m, fingerprint, at ?? now()),
    channelMode: async (workspace, channel) => (getMode.get(workspace, channel) as ChannelMode | undefined) ?? null,
    async setChannelMode(workspace, channel, mode, setBy, at) {
      validateChannelMode(mode);
      setMode.run(workspace, channel, mode, userKey(setBy ?? null), at ?? now());
    },
    purge: async (before) => ({ events: purgeEvents.run(before).changes, messages: purgeMessages.run(before).changes }),
  };
}
