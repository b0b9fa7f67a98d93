import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../../render/slack-limits.js';
import type { Services } from '../services.js';
import { createFaultlineCommandHandler } from './faultline-command.js';

export function registerCommandListeners(app: App, services: Services): void {
  app.command(ACTION_IDS.slashCommand, createFaultlineCommandHandler(services));
}
