import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildAllFixes, buildNotice } from '../../render/blocks.js';
import { ui } from '../../render/strings.js';
import type { Services } from '../services.js';
import { diagnosisForOccurrence, parseButtonValue } from './button-value.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** "More fixes": every ranked fix with its snippet, shown only to the person who clicked. */
export function createMoreFixesHandler(services: Services) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const value = parseButtonValue(action.value);
    const found = value.occurrenceId !== null ? await diagnosisForOccurrence(services, value.occurrenceId) : { diagnosis: null, lang: null };
    const lang = found.lang ?? (await services.locale.langFor(client, body.user.id));
    const msg = found.diagnosis?.match ? buildAllFixes(found.diagnosis) : buildNotice(ui(lang).moreFixesGone.replace('{id}', value.faultId ?? '<id>'));

    const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
    const message = body.message;
    if (message && channel && !body.container.is_ephemeral) {
      // In the answer's thread, visible to the clicker only: the thread stays short for everyone else.
      await client.chat.postEphemeral({ channel, user: body.user.id, thread_ts: (message.thread_ts as string | undefined) ?? message.ts, text: msg.text, blocks: msg.blocks });
      return;
    }
    await respond({ response_type: 'ephemeral', replace_original: false, text: msg.text, blocks: msg.blocks });
  };
}
