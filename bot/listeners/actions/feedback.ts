import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { buildFaultReply, buildNotice, withFeedbackAck } from '../../render/blocks.js';
import { ACTION_IDS } from '../../render/slack-limits.js';
import { ui } from '../../render/strings.js';
import type { FeedbackKind } from '../../store/feedback.js';
import type { Services } from '../services.js';
import { errorFields } from '../slack-errors.js';
import { diagnosisForOccurrence, parseButtonValue } from './button-value.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export const FEEDBACK_ACTIONS: Record<string, FeedbackKind> = {
  [ACTION_IDS.solved]: 'solved',
  [ACTION_IDS.didntHelp]: 'didnt_help',
  [ACTION_IDS.wrong]: 'wrong',
};

/**
 * "Solved it" / "Didn't help" / "Wrong diagnosis": recorded (one opinion per person per
 * answer, a second click replaces the first) and acknowledged by updating the answer itself.
 */
export function createFeedbackHandler(services: Services) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const kind = FEEDBACK_ACTIONS[action.action_id];
    const value = parseButtonValue(action.value);
    const user = body.user.id;
    const recorded = kind && value.occurrenceId !== null ? await services.store.feedback.record({ occurrenceId: value.occurrenceId, user, kind, fixId: kind === 'solved' ? value.fixId : null }) : null;
    const { diagnosis, lang: answerLang } = value.occurrenceId !== null ? await diagnosisForOccurrence(services, value.occurrenceId) : { diagnosis: null, lang: null };
    // The acknowledgement is part of a shared message: it speaks the answer's language.
    const lang = answerLang ?? (await services.locale.langFor(client, user));
    const t = ui(lang);
    if (!kind || !recorded) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: t.feedbackStale });
      return;
    }
    services.log.info('faultline.feedback', { occurrence: value.occurrenceId, kind, fault: value.faultId, replaced: recorded.replaced });
    const line = `<@${user}> ${t.feedbackThanks[kind]} · ${t.feedbackRecorded}`;

    const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
    const message = body.message;
    if (message && channel && !body.container.is_ephemeral) {
      try {
        await client.chat.update({ channel, ts: message.ts, text: message.text ?? t.feedbackRecorded, blocks: withFeedbackAck((message.blocks ?? []) as KnownBlock[], line) });
        return;
      } catch (err) {
        services.log.warn('faultline.feedback_update_failed', { channel, ts: message.ts, ...errorFields(err) });
      }
    }
    // An ephemeral answer (slash command, private fallback) cannot be edited with chat.update;
    // its response_url can replace it when the answer can be rebuilt.
    const rebuilt = diagnosis?.match ? buildFaultReply(diagnosis, { occurrenceId: value.occurrenceId ?? undefined }) : null;
    if (rebuilt) await respond({ response_type: 'ephemeral', replace_original: true, text: rebuilt.text, blocks: withFeedbackAck(rebuilt.blocks, line) });
    else await respond({ response_type: 'ephemeral', replace_original: false, ...buildNotice(line) });
  };
}
