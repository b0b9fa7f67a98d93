import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { ui } from '../../render/strings.js';
import { isPersonMessage, joinParts, mentionsUser, type MessageLike } from '../message-text.js';
import type { Services } from '../services.js';
import { errorFields } from '../slack-errors.js';
import { answerInThread, worthDiagnosing } from '../thread-reply.js';

type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/**
 * A message in a channel the bot is in (or a DM to it). In `auto` channels an error the engine
 * is sure of gets a threaded reply; ordinary chat gets nothing and costs no Web API call.
 * Edits (`message_changed`) are answered only when the error itself changed.
 */
export function createErrorPasteHandler(services: Services) {
  return async ({ message, context, client }: MessageArgs): Promise<void> => {
    const m = message as unknown as MessageLike;
    const edit = m.subtype === 'message_changed';
    const msg = edit ? m.message : m;
    if (!isPersonMessage(msg)) return;
    const channel = m.channel ?? msg.channel;
    if (!channel) return;
    // A mention is answered by the app_mention listener; answering here too would double up.
    if (mentionsUser(msg.text, context.botUserId)) return;
    // Slack also sends message_changed when only metadata moved (a reply in the thread, an
    // unfurl): nothing to read again when the text and the files are the same.
    if (edit && m.previous_message && m.previous_message.text === msg.text && fileIds(m.previous_message) === fileIds(msg)) return;

    const workspace = context.teamId ?? '';
    const dm = m.channel_type === 'im';
    const mode = dm ? 'auto' : ((await services.store.slack.channelMode(workspace, channel)) ?? services.settings.defaultMode);
    if (mode !== 'auto') return;

    const files = await services.files.read(client, msg.files);
    const text = joinParts([msg.text, ...files.texts]);
    if (!text) return;
    const first = await services.diagnoser.diagnose(text, { lang: services.settings.defaultLang, ...files.window });
    if (!worthDiagnosing(first, dm)) {
      if (dm && !edit) {
        const lang = await services.locale.langFor(client, msg.user);
        await client.chat.postMessage({ channel, text: ui(lang).nothingToDiagnose });
      }
      return;
    }

    const previous = await services.store.slack.swapMessageFingerprint({ workspace, channel, ts: msg.ts }, first.fingerprint);
    if (edit && previous === first.fingerprint) {
      services.log.debug('faultline.edit_same_error', { channel, ts: msg.ts, fp: first.fingerprint });
      return;
    }

    try {
      await answerInThread(services, {
        client,
        workspace,
        channel,
        messageTs: msg.ts,
        threadTs: msg.thread_ts ?? msg.ts,
        userId: msg.user,
        text,
        source: 'message',
        asked: dm,
        skippedFiles: files.skipped,
        first,
      });
    } catch (err) {
      // Nobody asked, so nobody is waiting for an apology in the channel; the operator gets the log.
      services.log.error('faultline.paste_failed', { channel, ts: msg.ts, fp: first.fingerprint, ...errorFields(err) });
    }
  };
}

function fileIds(m: MessageLike): string {
  return (m.files ?? []).map((f) => f.id ?? '').join(',');
}
