import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildDiagnoseModal } from '../../render/blocks.js';
import type { Services } from '../services.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** App Home's "Diagnose an error" button: opens the paste modal (views/diagnose-modal.ts answers it). */
export function createOpenDiagnoseModalHandler(services: Services) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const lang = await services.locale.langFor(client, body.user.id);
    await client.views.open({ trigger_id: body.trigger_id, view: buildDiagnoseModal(lang) });
  };
}
