import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION_IDS } from '../../render/slack-limits.js';
import type { Services } from '../services.js';
import { createFeedbackHandler, FEEDBACK_ACTIONS } from './feedback.js';
import { createMoreFixesHandler } from './more-fixes.js';
import { createOpenDiagnoseModalHandler } from './open-diagnose-modal.js';

export function registerActionListeners(app: App, services: Services): void {
  const feedback = createFeedbackHandler(services);
  for (const actionId of Object.keys(FEEDBACK_ACTIONS)) app.action<BlockAction<ButtonAction>>(actionId, feedback);
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.moreFixes, createMoreFixesHandler(services));
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.openDiagnoseModal, createOpenDiagnoseModalHandler(services));
}
