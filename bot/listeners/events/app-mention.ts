import type { AllMiddlewareArgs, SlackEventMiddlewareArgs, webApi } from '@slack/bolt';
import { ui } from '../../render/strings.js';
import { isPersonMessage, joinParts, stripMention, type MessageLike } from '../message-text.js';
import type { Services } from '../services.js';
import { errorFields, failureRef } from '../slack-errors.js';
import type { SlackFileLike } from '../snippet-files.js';
import { answerInThread } from '../thread-reply.js';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

/** Messages read from a thread at most, and characters kept from them (the engine bounds the rest). */
const THREAD_MESSAGES = 50;
const THREAD_CHARS = 256 * 1024;

/**
 * `@Faultline <error>` diagnoses the text after the mention; `@Faultline` in a thread diagnoses
 * the thread's parent together with the other messages in the thread.
 */
export function createMentionHandler(services: Services) {
  return async ({ event, context, client }: MentionArgs): Promise<void> => {
    const e = event as unknown as MessageLike & { channel: string };
    if (e.bot_id || !e.user) return;
    const workspace = context.teamId ?? '';
    const channel = e.channel;
    const threadTs = e.thread_ts ?? e.ts;
    const tell = async (text: string) => {
      await client.chat.postEphemeral({ channel, user: e.user as string, text, ...(e.thread_ts ? { thread_ts: e.thread_ts } : {}) });
    };

    const mode = (await services.store.slack.channelMode(workspace, channel)) ?? services.settings.defaultMode;
    if (mode === 'off') {
      const lang = await services.locale.langFor(client, e.user);
      await tell(ui(lang).channelOff);
      return;
    }

    try {
      const own = await services.files.read(client, e.files);
      let text = joinParts([stripMention(e.text ?? '', context.botUserId), ...own.texts]);
      let skipped = own.skipped;
      let messageTs = e.ts;
      let first = text ? await services.diagnoser.diagnose(text, { lang: services.settings.defaultLang, ...own.window }) : null;

      if (!first?.looksLikeError && !first?.match && e.thread_ts && e.thread_ts !== e.ts) {
        const thread = await readThread(services, client, channel, e.thread_ts, e.ts, context.botUserId);
        text = thread.text;
        skipped = thread.skipped;
        messageTs = e.thread_ts;
        first = text ? await services.diagnoser.diagnose(text, { lang: services.settings.defaultLang, ...thread.window }) : null;
      }
      if (!first || (!first.match && !first.looksLikeError)) {
        const lang = await services.locale.langFor(client, e.user);
        await tell(text ? ui(lang).notAnError : ui(lang).nothingToDiagnose);
        return;
      }

      const outcome = await answerInThread(services, { client, workspace, channel, messageTs, threadTs, userId: e.user, text, source: 'mention', asked: true, skippedFiles: skipped, first });
      if (outcome.kind === 'duplicate') {
        const lang = await services.locale.langFor(client, e.user);
        await tell(ui(lang).alreadyAnswered);
      }
    } catch (err) {
      const ref = failureRef();
      services.log.error('faultline.mention_failed', { ref, channel, ts: e.ts, ...errorFields(err) });
      const lang = await services.locale.langFor(client, e.user);
      await tell(`${ui(lang).failed} \`${ref}\``).catch(() => undefined);
    }
  };
}

/** The thread parent first, then the other people's messages, with their text files. */
async function readThread(services: Services, client: webApi.WebClient, channel: string, threadTs: string, mentionTs: string, botUserId: string | undefined): Promise<{ text: string; skipped: string[]; window: { originalBytes?: number } }> {
  const res = await client.conversations.replies({ channel, ts: threadTs, limit: THREAD_MESSAGES });
  // The parent may be an alert posted by another bot (CI, Sentry): that is often the error
  // people ask about. Replies count only when a person wrote them; our own answers never do.
  const messages = ((res.messages ?? []) as unknown as MessageLike[]).filter(
    (m) => m.ts !== mentionTs && !(botUserId && m.user === botUserId) && (m.ts === threadTs || isPersonMessage(m)),
  );
  const parts: string[] = [];
  const skipped: string[] = [];
  let chars = 0;
  let files: SlackFileLike[] = [];
  for (const m of messages) {
    const text = stripMention(m.text ?? '', botUserId);
    if (text) {
      parts.push(text);
      chars += text.length;
    }
    files = files.concat(m.files ?? []);
    if (chars > THREAD_CHARS) break;
  }
  const read = await services.files.read(client, files);
  skipped.push(...read.skipped);
  return { text: joinParts([...parts, ...read.texts]), skipped, window: read.window };
}
