import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { buildAiReply } from '../../render/ai-blocks.js';
import { buildDiagnosisModal, buildFaultReply, buildLookingIntoIt, buildNoMatchReply, buildUnansweredReply } from '../../render/blocks.js';
import { redactText } from '../../redact/redact.js';
import { ACTION_IDS } from '../../render/slack-limits.js';
import { isRecordable, occurrenceFromDiagnosis } from '../../store/occurrences.js';
import type { Services } from '../services.js';
import { errorFields } from '../slack-errors.js';
import { explainSafely, recordOccurrence, weekCount, withUnrecordedNote } from '../thread-reply.js';
import type { SlackMessage } from '../../render/blocks.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The paste modal from App Home: the answer replaces the modal's content (response_action
 * update). Recorded as `slash`: like `/faultline <text>`, a private request with no message.
 */
export function createDiagnoseModalHandler(services: Services) {
  return async ({ ack, view, body, client, context }: ViewArgs): Promise<void> => {
    // Redacted on arrival, like every paste (see joinParts).
    const text = redactText(view.state.values[ACTION_IDS.diagnoseModalBlock]?.[ACTION_IDS.diagnoseModalInput]?.value ?? '');
    const user = body.user.id;
    const workspace = context.teamId ?? body.team?.id ?? '';
    const lang = await services.locale.langFor(client, user);
    const d = await services.diagnoser.diagnose(text, { lang });
    let unrecorded: string | null = null;
    const record = async (method?: 'ai'): Promise<number | null> => {
      if (!isRecordable(d)) return null;
      const outcome = await recordOccurrence(services, { ...occurrenceFromDiagnosis(d), ...(method ? { method } : {}), source: 'slash', workspace, channel: null, user, text, permalink: null });
      unrecorded = outcome.unrecorded;
      return outcome.id;
    };
    const noted = (msg: SlackMessage) => withUnrecordedNote(msg, d.lang, unrecorded);

    if (d.match) {
      const occurrenceId = await record();
      await ack({ response_action: 'update', view: buildDiagnosisModal(noted(buildFaultReply(d, { occurrenceId: occurrenceId ?? undefined, weekCount: await weekCount(services, workspace, d.match.id) })), lang) });
      return;
    }
    if (!(d.looksLikeError && services.explainer.enabled)) {
      await record();
      await ack({ response_action: 'update', view: buildDiagnosisModal(noted(buildUnansweredReply(d, services.explainer.enabled)), lang) });
      return;
    }
    // The model may take longer than the 3 s a view submission may wait: show progress, then update.
    await ack({ response_action: 'update', view: buildDiagnosisModal(buildLookingIntoIt(lang), lang) });
    const answer = await explainSafely(services, { text, diagnosis: d, lang, workspace });
    const occurrenceId = await record(answer ? 'ai' : undefined);
    const msg = noted(answer ? buildAiReply(d, answer, { occurrenceId: occurrenceId ?? undefined }) : buildNoMatchReply(d));
    try {
      await client.views.update({ view_id: view.id, view: buildDiagnosisModal(msg, lang) });
    } catch (err) {
      // The person closed the modal meanwhile (not_found): nothing left to show it in.
      services.log.info('faultline.modal_update_failed', { view: view.id, ...errorFields(err) });
    }
  };
}
