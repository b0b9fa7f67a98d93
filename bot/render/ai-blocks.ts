import type { KnownBlock } from '@slack/types';
import type { AiAnswer } from '../ai/explainer.js';
import type { Diagnosis } from '../triage/types.js';
import { codeBlock, context, feedbackActions, section, type ReplyContext, type SlackMessage } from './block-kit.js';
import { SLACK_LIMITS, clip, escapeMrkdwn, fallbackText } from './slack-limits.js';
import { ui } from './strings.js';

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
    if (fix.snippet.trim()) blocks.push(codeBlock(fix.snippet, t.truncated).block);
  });
  if (d.alternatives.length) blocks.push(context([`${t.nearest} ${d.alternatives.slice(0, 3).map((a) => `\`${a.id}\``).join(' · ')}`]));
  // The buttons stay last whatever is cut: feedback is how an AI answer gets reviewed.
  const body = blocks.slice(0, SLACK_LIMITS.blocksPerMessage - 1);
  body.push(feedbackActions({ ...d, match: null, fixes: [] }, ctx));
  return { text: fallbackText(`${t.aiLabel} ${answer.title ? `${answer.title}: ` : ''}${answer.cause}`), blocks: body };
}
