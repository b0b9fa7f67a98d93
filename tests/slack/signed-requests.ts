import { createHmac } from 'node:crypto';

export interface SignOptions {
  secret: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Replaces the computed signature (forgery tests). */
  signature?: string;
  /** Send no signature headers at all. */
  unsigned?: boolean;
  headers?: Record<string, string>;
}

/** Slack's v0 request signature: HMAC-SHA256 of `v0:${timestamp}:${body}` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs to the app's /slack/events the way Slack does. */
export async function postToSlackEndpoint(baseUrl: string, body: string, contentType: string, options: SignOptions): Promise<{ status: number; text: string; ms: number }> {
  const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': contentType, ...options.headers };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = String(ts);
    headers['x-slack-signature'] = options.signature ?? slackSignature(options.secret, ts, body);
  }
  const started = performance.now();
  const res = await fetch(`${baseUrl}/slack/events`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

export function eventBody(event: Record<string, unknown>, eventId: string, team: string): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: team,
    api_app_id: 'A0TEST',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: team, user_id: 'UBOT0001', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}

export function slashBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function interactiveBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Slack sends message text with &, < and > escaped. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
