import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { buildNotice } from '../../render/blocks.js';
import { ui } from '../../render/strings.js';
import { joinParts, type MessageLike } from '../message-text.js';
import type { Services } from '../services.js';
import { errorFields, failureRef } from '../slack-errors.js';
import { answerInThread } from '../thread-reply.js';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * Message shortcut "Diagnose this error", on any message (also a bot's alert): answered in the
 * message's thread like a mention, or privately where the bot is not a member.
 */
export function createDiagnoseMessageHandler(services: Services) {
  return async ({ ack, shortcut, client, respond, context }: ShortcutArgs): Promise<void> => {
    await ack();
    const user = shortcut.user.id;
    const channel = shortcut.channel.id;
    const workspace = context.teamId ?? shortcut.team?.id ?? '';
    const m = shortcut.message as unknown as MessageLike;
    const lang = await services.locale.langFor(client, user);
    const t = ui(lang);
    const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, ...buildNotice(text) });
    try {
      const files = await services.files.read(client, m.files);
      const text = joinParts([m.text, ...files.texts]);
      if (!text) return void (await tell(t.shortcutNoText));
      const first = await services.diagnoser.diagnose(text, { lang: services.settings.defaultLang, ...files.window });
      if (!first.match && !first.looksLikeError) return void (await tell(t.notAnError));
      const outcome = await answerInThread(services, {
        client,
        workspace,
        channel,
        messageTs: m.ts,
        threadTs: m.thread_ts ?? m.ts,
        userId: user,
        text,
        source: 'shortcut',
        asked: true,
        skippedFiles: files.skipped,
        first,
        deliverPrivately: async (msg) => {
          await respond({ response_type: 'ephemeral', replace_original: false, text: msg.text, blocks: msg.blocks });
        },
      });
      if (outcome.kind === 'duplicate') await tell(t.alreadyAnswered);
    } catch (err) {
      const ref = failureRef();
      services.log.error('faultline.shortcut_failed', { ref, channel, ts: m.ts, ...errorFields(err) });
      await tell(`${t.failed} \`${ref}\``).catch(() => undefined);
    }
  };
}
