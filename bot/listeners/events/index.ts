import type { App } from '@slack/bolt';
import type { Services } from '../services.js';
import { createAppHomeHandler } from './app-home-opened.js';
import { createMentionHandler } from './app-mention.js';

export function registerEventListeners(app: App, services: Services): void {
  app.event('app_mention', createMentionHandler(services));
  app.event('app_home_opened', createAppHomeHandler(services));
}
