import type { KnownBlock } from '@slack/types';
import type { Diagnosis } from '../triage/types.js';
import { ACTION_IDS, SLACK_LIMITS, clip, escapeMrkdwn } from './slack-limits.js';
import { ui } from './strings.js';

/** The Block Kit pieces every Faultline message is built from, each clipped to Slack's limits. */

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface ReplyContext {
  /** Occurrence id, carried in button values so feedback finds its diagnosis. */
  occurrenceId?: string | number;
  /** How often the workspace hit this fault in the last 7 days, including this one. */
  weekCount?: number;
}

const CODE_FENCE_OVERHEAD = 8;

export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText).text } };
}

export function context(texts: string[]): KnownBlock {
  return { type: 'context', elements: texts.slice(0, SLACK_LIMITS.contextElements).map((t) => ({ type: 'mrkdwn' as const, text: clip(t, SLACK_LIMITS.contextText).text })) };
}

/**
 * A code block that always fits one section: long code is cut at a line and says so. Every
 * snippet is escaped: a model's snippet can be steered by the paste, and a curated one carries
 * names taken from it, so `<!channel>` must not ping anyone; Slack shows `&lt;` in code as `<`.
 */
export function codeBlock(code: string, note: string): { block: KnownBlock; clipped: boolean } {
  const max = SLACK_LIMITS.sectionText - CODE_FENCE_OVERHEAD - note.length - 2;
  let body = escapeMrkdwn(code.replace(/```/g, "'''"));
  let clipped = false;
  if (body.length > max) {
    body = body.slice(0, max);
    // Cut at a line, and never inside an entity (`&am`), which Slack would show raw.
    body = (body.slice(0, Math.max(body.lastIndexOf('\n'), 0)) || body).replace(/&[a-z]{0,3}$/, '');
    clipped = true;
  }
  return { block: section(`\`\`\`${body}\`\`\`${clipped ? `\n_${note}_` : ''}`), clipped };
}

/** The feedback row of every answer: curated or AI (no fault, no fixes: no "More fixes"). */
export function feedbackActions(d: Diagnosis, ctx: ReplyContext): KnownBlock {
  const t = ui(d.lang);
  const value = clip(JSON.stringify({ o: ctx.occurrenceId ?? null, f: d.match?.id ?? null, x: d.fixes[0]?.id ?? null }), SLACK_LIMITS.buttonValue).text;
  const button = (actionId: string, label: string, style?: 'primary' | 'danger') => ({
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text: clip(label, SLACK_LIMITS.buttonText).text, emoji: true },
    value,
    ...(style ? { style } : {}),
  });
  const elements = [button(ACTION_IDS.solved, `✅ ${t.solved}`, 'primary'), button(ACTION_IDS.didntHelp, `🤷 ${t.didntHelp}`), button(ACTION_IDS.wrong, `❌ ${t.wrong}`)];
  if (d.fixes.length > 1) elements.push(button(ACTION_IDS.moreFixes, `➕ ${t.moreFixes} (${d.fixes.length - 1})`));
  return { type: 'actions', block_id: 'faultline_feedback', elements };
}
