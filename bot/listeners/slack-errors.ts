import { randomBytes } from 'node:crypto';
import { webApi } from '@slack/bolt';

/** The Web API's `error` string (`not_in_channel`), or null for transport and other errors. */
export function platformError(err: unknown): string | null {
  return err instanceof webApi.WebAPIPlatformError ? err.data.error : null;
}

/** The bot cannot write there: not a member, archived, or a conversation it cannot see. */
export function cannotPostThere(err: unknown): boolean {
  const code = platformError(err);
  return code !== null && ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action', 'cannot_reply_to_message'].includes(code);
}

/** A short reference the user can quote and the operator can find in the logs. */
export function failureRef(): string {
  return `fl-${randomBytes(4).toString('hex')}`;
}

/** What to log about an error: its class and Slack code, never its (possibly user-derived) message. */
export function errorFields(err: unknown): Record<string, string> {
  if (err instanceof webApi.WebAPIPlatformError) return { error: err.code, slack: err.data.error };
  if (err instanceof webApi.WebAPIRateLimitedError) return { error: err.code, retryAfter: String(err.retryAfter) };
  if (err instanceof webApi.WebAPIHTTPError) return { error: err.code, status: String(err.statusCode) };
  // The message of an arbitrary error may quote user input; its class and where it was thrown may not.
  if (err instanceof Error) return { error: err.name, code: String((err as NodeJS.ErrnoException).code ?? ''), at: err.stack?.split('\n')[1]?.trim() ?? '' };
  return { error: typeof err };
}
