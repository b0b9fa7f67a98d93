import type { App, ViewSubmitAction } from '@slack/bolt';
import { ACTION_IDS } from '../../render/slack-limits.js';
import type { Services } from '../services.js';
import { createDiagnoseModalHandler } from './diagnose-modal.js';

export function registerViewListeners(app: App, services: Services): void {
  app.view<ViewSubmitAction>(ACTION_IDS.diagnoseModal, createDiagnoseModalHandler(services));
}
