import type { KnownBlock } from '@slack/types';
import type { AiAnswer } from '../ai/explainer.js';
import type { Diagnosis } from '../triage/types.js';
import type { ReplyContext, SlackMessage } from './blocks.js';
import { ACTION_IDS, SLACK_LIMITS, clip, escapeMrkdwn } from './slack-limits.js';
import { ui } from './strings.js';

const CODE_FENCE_OVERHEAD = 8;

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText).text } };
}

function context(texts: string[]): KnownBlock {
  return { type: 'context', elements: texts.slice(0, SLACK_LIMITS.contextElements).map((t) => ({ type: 'mrkdwn' as const, text: clip(t, SLACK_LIMITS.contextText).text })) };
}

/**
 * A model's snippet in a code block. Unlike a curated snippet it is untrusted text (a pasted
 * error can steer the model), so `<!channel>` or `<https://x|y>` is escaped here too: Slack
 * shows `&lt;` inside code as `<`.
 */
function untrustedCode(code: string, note: string): KnownBlock {
  let body = escapeMrkdwn(code.replace(/```/g, "'''"));
  const max = SLACK_LIMITS.sectionText - CODE_FENCE_OVERHEAD - note.length - 2;
  let clipped = false;
  if (body.length > max) {
    body = body.slice(0, max);
    // Never end inside an entity (`&am`), which Slack would show raw.
    body = (body.slice(0, Math.max(body.lastIndexOf('\n'), 0)) || body).replace(/&[a-z]{0,3}$/, '');
    clipped = true;
  }
  return section(`\`\`\`${body}\`\`\`${clipped ? `\n_${note}_` : ''}`);
}

/** The feedback row, identical to a curated answer's (see feedbackActions in blocks.ts): no fault, no fix. */
function feedbackActions(d: Diagnosis, ctx: ReplyContext): KnownBlock {
  const t = ui(d.lang);
  const value = clip(JSON.stringify({ o: ctx.occurrenceId ?? null, f: null, x: null }), SLACK_LIMITS.buttonValue).text;
  const button = (actionId: string, label: string, style?: 'primary' | 'danger') => ({
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text: clip(label, SLACK_LIMITS.buttonText).text, emoji: true },
    value,
    ...(style ? { style } : {}),
  });
  return {
    type: 'actions',
    block_id: 'faultline_feedback',
    elements: [button(ACTION_IDS.solved, `✅ ${t.solved}`, 'primary'), button(ACTION_IDS.didntHelp, `🤷 ${t.didntHelp}`), button(ACTION_IDS.wrong, `❌ ${t.wrong}`)],
  };
}

/**
 * An LLM answer in Slack. It must never pass for a curated one: the label comes first, the
 * model and its own confidence are shown, there is no header or fault id, and every string
 * from the model is escaped. The feedback buttons are the curated answer's.
 */
export function buildAiReply(d: Diagnosis, answer: AiAnswer, ctx: ReplyContext = {}): SlackMessage {
  const t = ui(d.lang);
  const meta = [escapeMrkdwn(answer.model), `${t.confidence} ${Math.round(answer.confidence * 100)}%`];
  if (answer.library) meta.push(`${t.aiLibrary}: ${escapeMrkdwn(answer.library)}`);
  if (answer.cached) meta.push(t.aiCached);
  const blocks: KnownBlock[] = [context([`:robot_face: *${t.aiLabel}*`, meta.join(' · ')])];
  if (d.error) blocks.push(context([`\`${escapeMrkdwn(clip(`${d.error.type ? `${d.error.type}: ` : ''}${d.error.message}`, 300).text)}\``]));
  const title = answer.title ? `*${escapeMrkdwn(answer.title)}*\n` : '';
  blocks.push(section(`${title}*${t.aiCause}*\n${escapeMrkdwn(answer.cause)}`));

  answer.fixes.forEach((fix, i) => {
    const head = `${i === 0 ? `*${t.aiFixes}*\n` : ''}*${i + 1}. ${escapeMrkdwn(fix.title)}*${fix.tradeoff ? ` — ${escapeMrkdwn(fix.tradeoff)}` : ''}`;
    blocks.push(section(`${head}\n${escapeMrkdwn(fix.why)}`));
    if (fix.snippet.trim()) blocks.push(untrustedCode(fix.snippet, t.truncated));
  });
  if (d.alternatives.length) blocks.push(context([`${t.nearest} ${d.alternatives.slice(0, 3).map((a) => `\`${a.id}\``).join(' · ')}`]));
  // The buttons stay last whatever is cut: feedback is how an AI answer gets reviewed.
  const body = blocks.slice(0, SLACK_LIMITS.blocksPerMessage - 1);
  body.push(feedbackActions(d, ctx));
  return { text: clip(`${t.aiLabel} ${answer.title ? `${answer.title}: ` : ''}${answer.cause}`, SLACK_LIMITS.fallbackText).text, blocks: body };
}
