import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../bot/store/open-store.js';
import { DAY, useTempDir } from './helpers.js';

describe('Slack delivery state', () => {
  const tempDir = useTempDir();

  it('sees an event id once, also from a second process on the same file', () => {
    const path = join(tempDir(), 's.db');
    const a = openStore({ path });
    const b = openStore({ path });
    expect(a.slack.markEventSeen('Ev01')).toBe(true);
    expect(a.slack.markEventSeen('Ev01')).toBe(false);
    expect(b.slack.markEventSeen('Ev01')).toBe(false);
    a.close();
    b.close();
  });

  it('lets one reply per thread and fault through, and gives the claim back on failure', () => {
    const store = openStore({ path: join(tempDir(), 's.db') });
    const key = { workspace: 'T1', channel: 'C1', threadTs: '1700000000.000100', faultKey: 'sqlalchemy.missing-greenlet' };
    expect(store.slack.claimReply(key)).toBe(true);
    expect(store.slack.claimReply(key)).toBe(false);
    expect(store.slack.claimReply({ ...key, faultKey: 'v1:0000000000000abc' })).toBe(true);
    store.slack.releaseReply(key);
    expect(store.slack.claimReply(key)).toBe(true);
    store.slack.setReplyTs(key, '1700000001.000200');
    expect(store.slack.replyTs(key)).toBe('1700000001.000200');
    // A posted reply is never released.
    store.slack.releaseReply(key);
    expect(store.slack.claimReply(key)).toBe(false);
    store.close();
  });

  it('tells an edit that changed the error from one that did not', () => {
    const store = openStore({ path: join(tempDir(), 's.db') });
    const msg = { workspace: 'T1', channel: 'C1', ts: '1700000000.000100' };
    expect(store.slack.swapMessageFingerprint(msg, 'v1:a')).toBeNull();
    expect(store.slack.swapMessageFingerprint(msg, 'v1:a')).toBe('v1:a');
    expect(store.slack.swapMessageFingerprint(msg, 'v1:b')).toBe('v1:a');
    store.close();
  });

  it('keeps a mode per channel', () => {
    const store = openStore({ path: join(tempDir(), 's.db') });
    expect(store.slack.channelMode('T1', 'C1')).toBeNull();
    store.slack.setChannelMode('T1', 'C1', 'mention-only', 'U1');
    store.slack.setChannelMode('T1', 'C1', 'off', 'U2');
    expect(store.slack.channelMode('T1', 'C1')).toBe('off');
    expect(store.slack.channelMode('T1', 'C2')).toBeNull();
    expect(() => store.slack.setChannelMode('T1', 'C1', 'loud' as never)).toThrow(TypeError);
    store.close();
  });

  it('forgets old event ids on purge', () => {
    const now = 100 * DAY;
    const store = openStore({ path: join(tempDir(), 's.db'), now: () => now });
    store.slack.markEventSeen('old', now - 3 * DAY);
    store.slack.markEventSeen('new', now);
    expect(store.purge(90).events).toBe(1);
    expect(store.slack.markEventSeen('new')).toBe(false);
    store.close();
  });
});
