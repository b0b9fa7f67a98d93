import type { webApi } from '@slack/bolt';
import type { AiAnswer, ExplainInput } from '../ai/explainer.js';
import { DAY_MS, isRecordable, occurrenceFromDiagnosis, type NewOccurrence, type OccurrenceSource } from '../store/occurrences.js';
import { storeFailureReason } from '../store/store-health.js';
import type { ReplyKey } from '../store/slack-state.js';
import { buildAiReply } from '../render/ai-blocks.js';
import { buildFaultReply, buildLookingIntoIt, buildNoMatchReply, buildUnansweredReply, type SlackMessage } from '../render/blocks.js';
import { SLACK_LIMITS, clip } from '../render/slack-limits.js';
import { ui } from '../render/strings.js';
import type { Diagnosis } from '../triage/types.js';
import type { Services } from './services.js';
import { cannotPostThere, errorFields } from './slack-errors.js';

export interface ThreadRequest {
  client: webApi.WebClient;
  workspace: string;
  channel: string;
  /** The message holding the error: the reactions and the permalink point at it. */
  messageTs: string;
  /** Where the answer goes: the thread of that message (never the channel root). */
  threadTs: string;
  /** Who pasted or asked; their locale picks the language. */
  userId: string | null;
  /** The message text with its snippet files, as the engine reads it. */
  text: string;
  source: Exclude<OccurrenceSource, 'cli' | 'slash'>;
  /** Someone asked (mention, shortcut, DM): an unknown error gets an honest "no match". */
  asked: boolean;
  /** Files that could not be read, named in the answer. */
  skippedFiles?: string[];
  /** The diagnosis the caller already made in the default language; reused if the language matches. */
  first?: Diagnosis;
  /** Where the answer goes when the bot cannot post in the channel (shortcut: respond()). */
  deliverPrivately?: (message: SlackMessage) => Promise<void>;
}

export type ThreadOutcome =
  | { kind: 'replied'; ts: string | null; faultKey: string; occurrenceId: number | null }
  | { kind: 'private'; occurrenceId: number | null }
  /** This fault was already answered in this thread. */
  | { kind: 'duplicate' }
  /** Nothing to say unasked (no confident match). */
  | { kind: 'silent'; occurrenceId: number | null };

/**
 * Whether a message is an error worth diagnosing. Asked (mention, DM, shortcut), any error-like
 * text is, chat about an error included. Unasked, only error output is (a traceback, an exception
 * line, an error-level log record): "anyone seen MissingGreenlet?" names a fault the engine knows
 * but is a question to people, not a paste, so nobody gets an answer they did not ask for.
 */
export function worthDiagnosing(d: Diagnosis, asked: boolean): boolean {
  if (asked) return d.match !== null || d.looksLikeError;
  return d.errorOutput && (d.match !== null || d.looksLikeError);
}

/**
 * The explainer promises never to throw; should one break that promise, the person still gets
 * the honest no-match answer instead of a "looking into it" that never ends.
 */
export async function explainSafely(services: Services, input: ExplainInput): Promise<AiAnswer | null> {
  try {
    return await services.explainer.explain(input);
  } catch (err) {
    services.log.error('faultline.explainer_failed', { fp: input.diagnosis.fingerprint, ...errorFields(err) });
    return null;
  }
}

/** How often the workspace hit a fault in the last 7 days (this occurrence included); 1 when the store cannot say. */
export async function weekCount(services: Services, workspace: string, faultId: string): Promise<number> {
  const now = services.now();
  try {
    return (await services.store.stats.faultCounts({ from: now - 7 * DAY_MS, to: now + 1, workspace })).get(faultId) ?? 1;
  } catch (err) {
    if (storeFailureReason(err) === null) throw err;
    return 1;
  }
}

/** An occurrence's id, or why it was not recorded (the store is unavailable). */
export interface RecordOutcome {
  id: number | null;
  /** The store's reason when the occurrence could not be recorded; the answer says so. */
  unrecorded: string | null;
}

/**
 * Records an occurrence without ever costing the person their answer: when the store is
 * unavailable (disk full, locked, unreachable) or its queue is full, the answer goes out
 * anyway, with a note that it was not recorded.
 */
export async function recordOccurrence(services: Services, occurrence: NewOccurrence): Promise<RecordOutcome> {
  try {
    return { id: await services.store.occurrences.record(occurrence), unrecorded: null };
  } catch (err) {
    const reason = storeFailureReason(err);
    if (reason === null) throw err;
    services.log.warn('faultline.not_recorded', { fp: occurrence.fingerprint, reason });
    return { id: null, unrecorded: reason };
  }
}

/** Adds the "not recorded" note before the buttons (there are none without an occurrence). */
export function withUnrecordedNote(msg: SlackMessage, lang: Diagnosis['lang'], reason: string | null): SlackMessage {
  if (reason === null) return msg;
  const note = ui(lang).storeUnavailable.replace('{reason}', reason);
  const blocks = [...msg.blocks];
  if (blocks.length >= SLACK_LIMITS.blocksPerMessage) return msg;
  const actions = blocks.findIndex((b) => b.type === 'actions');
  blocks.splice(actions < 0 ? blocks.length : actions, 0, { type: 'context', elements: [{ type: 'mrkdwn', text: clip(note, SLACK_LIMITS.contextText).text }] });
  return { ...msg, blocks };
}

async function react(services: Services, client: webApi.WebClient, channel: string, ts: string, name: string, remove = false): Promise<void> {
  try {
    if (remove) await client.reactions.remove({ channel, timestamp: ts, name });
    else await client.reactions.add({ channel, timestamp: ts, name });
  } catch (err) {
    // Reactions are decoration: already_reacted, no_reaction or a missing scope never stop a reply.
    services.log.debug('faultline.reaction_failed', { channel, ts, name, ...errorFields(err) });
  }
}

async function permalinkOf(services: Services, client: webApi.WebClient, channel: string, ts: string): Promise<string | null> {
  try {
    const res = await client.chat.getPermalink({ channel, message_ts: ts });
    return res.permalink ?? null;
  } catch (err) {
    services.log.debug('faultline.permalink_failed', { channel, ts, ...errorFields(err) });
    return null;
  }
}

function withNotes(msg: SlackMessage, d: Diagnosis, skipped: string[] | undefined): SlackMessage {
  if (!skipped?.length) return msg;
  const note = `${ui(d.lang).fileSkipped} ${skipped.map((s) => `\`${clip(s, 60).text}\``).join(', ')}`;
  const blocks = [...msg.blocks];
  const actions = blocks.findIndex((b) => b.type === 'actions');
  const at = actions < 0 ? blocks.length : actions;
  if (blocks.length < SLACK_LIMITS.blocksPerMessage) blocks.splice(at, 0, { type: 'context', elements: [{ type: 'mrkdwn', text: clip(note, SLACK_LIMITS.contextText).text }] });
  return { ...msg, blocks };
}

/**
 * Answers a message in its thread: a curated diagnosis when the engine is sure, otherwise the
 * LLM fallback (when configured) or, when asked, an honest "no curated match". At most one
 * answer per thread and fault, even across retries, edits and a mention of the same paste.
 * Every diagnosis of an error is recorded, answered or not, with the message's permalink.
 */
export async function answerInThread(services: Services, req: ThreadRequest): Promise<ThreadOutcome> {
  const { client, channel, workspace } = req;
  const started = performance.now();
  const lang = await services.locale.langFor(client, req.userId);
  const d = req.first && req.first.lang === lang ? req.first : await services.diagnoser.diagnose(req.text, { lang, ...(req.first?.input.truncated ? { originalBytes: req.first.input.bytes } : {}) });
  const worth = worthDiagnosing(d, req.asked);
  const explain = !d.match && worth && services.explainer.enabled;

  let unrecorded: string | null = null;
  const record = async (permalink: string | null, method?: 'ai'): Promise<number | null> => {
    if (!worth || !isRecordable(d)) return null;
    const outcome = await recordOccurrence(services, {
      ...occurrenceFromDiagnosis(d),
      ...(method ? { method } : {}),
      source: req.source,
      workspace,
      channel,
      user: req.userId,
      text: req.text,
      permalink,
    });
    unrecorded = outcome.unrecorded;
    return outcome.id;
  };
  const noted = (msg: SlackMessage) => withUnrecordedNote(withNotes(msg, d, req.skippedFiles), d.lang, unrecorded);

  if (!d.match && !req.asked && !explain) {
    // An error nobody asked about and nobody knows: no reply, but the digest counts it as a
    // candidate for the catalogue.
    const occurrenceId = worth ? await record(await permalinkOf(services, client, channel, req.messageTs)) : null;
    return { kind: 'silent', occurrenceId };
  }

  const key: ReplyKey = { workspace, channel, threadTs: req.threadTs, faultKey: d.match?.id ?? d.fingerprint };
  if (!(await services.store.slack.claimReply(key))) {
    services.log.info('faultline.duplicate_reply_skipped', { channel, thread: req.threadTs, fault: key.faultKey });
    return { kind: 'duplicate' };
  }

  let posted = false;
  let occurrenceId: number | null = null;
  const post = async (msg: SlackMessage): Promise<string | null> => {
    const res = await client.chat.postMessage({ channel, thread_ts: req.threadTs, text: msg.text, blocks: msg.blocks, unfurl_links: false, unfurl_media: false });
    posted = true;
    if (res.ts) await services.store.slack.setReplyTs(key, res.ts).catch((err: unknown) => services.log.warn('faultline.reply_ts_not_saved', { channel, ...errorFields(err) }));
    return res.ts ?? null;
  };

  try {
    const permalink = permalinkOf(services, client, channel, req.messageTs);
    await react(services, client, channel, req.messageTs, 'eyes');
    let ts: string | null;
    let done = 'white_check_mark';
    if (d.match) {
      occurrenceId = await record(await permalink);
      if (occurrenceId !== null) services.recent.put(occurrenceId, d);
      const msg = buildFaultReply(d, { occurrenceId: occurrenceId ?? undefined, weekCount: await weekCount(services, workspace, d.match.id) });
      ts = await post(noted(msg));
    } else if (explain) {
      ts = await post(buildLookingIntoIt(lang));
      const answer = await explainSafely(services, { text: req.text, diagnosis: d, lang, workspace });
      occurrenceId = await record(await permalink, answer ? 'ai' : undefined);
      const msg = answer ? buildAiReply(d, answer, { occurrenceId: occurrenceId ?? undefined }) : buildNoMatchReply(d);
      if (!answer) done = 'grey_question';
      if (ts) await client.chat.update({ channel, ts, text: msg.text, blocks: noted(msg).blocks });
    } else {
      occurrenceId = await record(await permalink);
      done = 'grey_question';
      ts = await post(noted(buildUnansweredReply(d, services.explainer.enabled)));
    }
    await Promise.all([react(services, client, channel, req.messageTs, 'eyes', true), react(services, client, channel, req.messageTs, done)]);
    services.log.info('faultline.replied', { source: req.source, channel, thread: req.threadTs, fault: d.match?.id ?? null, fp: d.fingerprint, occurrence: occurrenceId, ms: Math.round(performance.now() - started) });
    return { kind: 'replied', ts, faultKey: key.faultKey, occurrenceId };
  } catch (err) {
    if (!posted) await services.store.slack.releaseReply(key).catch(() => undefined);
    await react(services, client, channel, req.messageTs, 'eyes', true);
    if (!posted && req.deliverPrivately && cannotPostThere(err)) {
      // The shortcut works on any message, also where the bot is not a member: answer the
      // person privately instead.
      const msg = d.match ? buildFaultReply(d, { occurrenceId: occurrenceId ?? undefined, weekCount: await weekCount(services, workspace, d.match.id) }) : buildUnansweredReply(d, services.explainer.enabled);
      await req.deliverPrivately(noted(msg));
      return { kind: 'private', occurrenceId };
    }
    throw err;
  }
}
