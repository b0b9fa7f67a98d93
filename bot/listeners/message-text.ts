import { redactText } from '../redact/redact.js';
import type { SlackFileLike } from './snippet-files.js';

/**
 * The fields of a Slack message the listeners read. Bolt types `message` as a union of every
 * subtype; the handlers narrow it to this and check each field they use.
 */
export interface MessageLike {
  type?: string;
  subtype?: string;
  hidden?: boolean;
  text?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  ts: string;
  thread_ts?: string;
  channel?: string;
  channel_type?: string;
  files?: SlackFileLike[];
  /** message_changed: the edited message and the one before. */
  message?: MessageLike;
  previous_message?: MessageLike;
}

// Subtypes that carry something a person wrote; everything else (joins, topic changes,
// deletions, bot_message...) is never diagnosed.
const PERSON_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/** Written by a person (not a bot, not an integration, not a system message). */
export function isPersonMessage(m: MessageLike | undefined): m is MessageLike & { user: string } {
  return m !== undefined && PERSON_SUBTYPES.has(m.subtype) && !m.hidden && !m.bot_id && typeof m.user === 'string' && m.user !== '';
}

export function mentionsUser(text: string | undefined, userId: string | undefined): boolean {
  return Boolean(text && userId && text.includes(`<@${userId}`));
}

/** The text with mentions of the bot removed (`<@U123>` or `<@U123|name>`). */
export function stripMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text.replace(new RegExp(`<@${botUserId}(?:\\|[^>]{0,80})?>`, 'g'), ' ').trim();
}

/**
 * Concatenates message texts and file contents, the way the engine reads one paste, and
 * redacts them: from here on a listener holds only the redacted paste, so the diagnosis, the
 * reply quoting it, the record and the LLM request never see a secret.
 */
export function joinParts(parts: readonly (string | undefined)[]): string {
  return redactText(decodeSlackEntities(parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join('\n\n')));
}

/**
 * Slack sends `&`, `<` and `>` as entities; the redactor must see the characters
 * (`PGPASSWORD=a&amp;b` would otherwise lose only `a` and keep `amp;b`).
 */
function decodeSlackEntities(text: string): string {
  return text.includes('&') ? text.replace(/&(amp|lt|gt);/g, (_m, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>')) : text;
}
