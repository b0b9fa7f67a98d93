import type { App } from '@slack/bolt';
import { registerActionListeners } from './actions/index.js';
import { registerCommandListeners } from './commands/index.js';
import { registerEventListeners } from './events/index.js';
import { registerMessageListeners } from './messages/index.js';
import type { Services } from './services.js';
import { registerShortcutListeners } from './shortcuts/index.js';
import { registerViewListeners } from './views/index.js';

/** Registers every listener, grouped by Slack type; each group gets the services it needs. */
export function registerListeners(app: App, services: Services): void {
  registerMessageListeners(app, services);
  registerEventListeners(app, services);
  registerCommandListeners(app, services);
  registerActionListeners(app, services);
  registerShortcutListeners(app, services);
  registerViewListeners(app, services);
}
