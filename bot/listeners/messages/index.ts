import type { App } from '@slack/bolt';
import type { Services } from '../services.js';
import { createErrorPasteHandler } from './error-paste.js';

export function registerMessageListeners(app: App, services: Services): void {
  app.message(createErrorPasteHandler(services));
}
