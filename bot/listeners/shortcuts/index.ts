import type { App, MessageShortcut } from '@slack/bolt';
import { ACTION_IDS } from '../../render/slack-limits.js';
import type { Services } from '../services.js';
import { createDiagnoseMessageHandler } from './diagnose-message.js';

export function registerShortcutListeners(app: App, services: Services): void {
  app.shortcut<MessageShortcut>({ callback_id: ACTION_IDS.diagnoseShortcut, type: 'message_action' }, createDiagnoseMessageHandler(services));
}
