import type { ReplyKey, SlackState } from './slack-state.js';
import type { StoreHealth } from './store-health.js';

const MAX_REMEMBERED = 20_000;

/** A bounded insertion-ordered set: the oldest entries go first. */
class RecentSet {
  private items = new Set<string>();
  has(k: string) {
    return this.items.has(k);
  }
  add(k: string) {
    this.items.add(k);
    if (this.items.size > MAX_REMEMBERED) this.items.delete(this.items.values().next().value as string);
  }
  delete(k: string) {
    this.items.delete(k);
  }
  drain(): string[] {
    const all = [...this.items];
    this.items.clear();
    return all;
  }
}

const replyId = (k: ReplyKey) => JSON.stringify([k.workspace, k.channel, k.threadTs, k.faultKey]);

/**
 * Slack delivery state that keeps working while the store does not. The dedup decisions
 * (event seen, reply claimed, message fingerprint) fall back to this process's memory when the
 * store is unavailable, so every event is still answered once by this process; when the store
 * is back, the event ids and claims made meanwhile are written to it, so a Slack retry of one
 * of them later (on any process) is still recognised. Reads fall back to "unknown".
 */
export function createResilientSlackState(inner: SlackState, health: StoreHealth, log: (event: string, fields: Record<string, unknown>) => void = () => {}): SlackState & { writeBack(): Promise<void> } {
  const events = new RecentSet();
  const replies = new RecentSet();
  const pendingEvents: [string, number][] = [];
  const pendingReplies: [ReplyKey, number][] = [];
  const fingerprints = new Map<string, string>();

  async function attempt<T>(op: string, fn: () => Promise<T>, fallback: () => T): Promise<T> {
    if (!health.ok) return fallback();
    try {
      const result = await fn();
      health.succeeded();
      return result;
    } catch (err) {
      if (!health.failed(err)) throw err;
      log('store.degraded', { op, reason: health.report().reason });
      return fallback();
    }
  }

  const state: SlackState & { writeBack(): Promise<void> } = {
    markEventSeen: (eventId, at) => {
      if (events.has(eventId)) return Promise.resolve(false);
      return attempt('markEventSeen', () => inner.markEventSeen(eventId, at), () => {
        events.add(eventId);
        pendingEvents.push([eventId, at ?? Date.now()]);
        return true;
      });
    },
    claimReply: (key, at) => {
      const id = replyId(key);
      if (replies.has(id)) return Promise.resolve(false);
      return attempt('claimReply', () => inner.claimReply(key, at), () => {
        replies.add(id);
        pendingReplies.push([key, at ?? Date.now()]);
        return true;
      });
    },
    setReplyTs: (key, ts) => attempt('setReplyTs', () => inner.setReplyTs(key, ts), () => undefined),
    replyTs: (key) => attempt('replyTs', () => inner.replyTs(key), () => null),
    releaseReply: (key) => {
      replies.delete(replyId(key));
      return attempt('releaseReply', () => inner.releaseReply(key), () => undefined);
    },
    swapMessageFingerprint: (m, fingerprint, at) => {
      const id = JSON.stringify([m.workspace, m.channel, m.ts]);
      return attempt('swapMessageFingerprint', () => inner.swapMessageFingerprint(m, fingerprint, at), () => {
        const before = fingerprints.get(id) ?? null;
        fingerprints.set(id, fingerprint);
        if (fingerprints.size > MAX_REMEMBERED) fingerprints.delete(fingerprints.keys().next().value as string);
        return before;
      });
    },
    channelMode: (workspace, channel) => attempt('channelMode', () => inner.channelMode(workspace, channel), () => null),
    // A mode change someone asked for must not be silently lost: it fails visibly instead.
    setChannelMode: (...args) => inner.setChannelMode(...args),
    purge: (before) => inner.purge(before),
    async writeBack() {
      if (!health.ok || (pendingEvents.length === 0 && pendingReplies.length === 0)) return;
      const evs = pendingEvents.splice(0);
      const reps = pendingReplies.splice(0);
      try {
        for (const [id, at] of evs) await inner.markEventSeen(id, at);
        for (const [key, at] of reps) await inner.claimReply(key, at);
        log('store.written_back', { events: evs.length, replies: reps.length });
      } catch (err) {
        pendingEvents.unshift(...evs);
        pendingReplies.unshift(...reps);
        if (!health.failed(err)) throw err;
      }
    },
  };
  return state;
}
