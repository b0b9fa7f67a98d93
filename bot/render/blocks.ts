import type { KnownBlock } from '@slack/types';
import type { Fault } from '../kb/compile.js';
import type { Diagnosis, RankedFix } from '../triage/types.js';
import { ACTION_IDS, SLACK_LIMITS, clip, escapeMrkdwn } from './slack-limits.js';
import { ui } from './strings.js';

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

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText).text } };
}

function context(texts: string[]): KnownBlock {
  return { type: 'context', elements: texts.slice(0, SLACK_LIMITS.contextElements).map((t) => ({ type: 'mrkdwn' as const, text: clip(t, SLACK_LIMITS.contextText).text })) };
}

/** A code block that always fits one section: long snippets are cut at a line and say so. */
function codeBlock(code: string, note: string): { block: KnownBlock; clipped: boolean } {
  const max = SLACK_LIMITS.sectionText - CODE_FENCE_OVERHEAD - note.length - 2;
  let body = code.replace(/```/g, "'''");
  let clipped = false;
  if (body.length > max) {
    body = body.slice(0, max);
    body = body.slice(0, Math.max(body.lastIndexOf('\n'), 0)) || body;
    clipped = true;
  }
  return { block: section(`\`\`\`${body}\`\`\`${clipped ? `\n_${note}_` : ''}`), clipped };
}

function fixSummary(fix: RankedFix): string {
  return `*${fix.rank}. ${escapeMrkdwn(fix.title)}*${fix.available ? '' : ' _(n/a)_'} — ${escapeMrkdwn(fix.tradeoff)}`;
}

function feedbackActions(d: Diagnosis, ctx: ReplyContext): KnownBlock {
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

/** The threaded answer: title, how sure, cause, the best fix with its snippet, the rest briefly. */
export function buildFaultReply(d: Diagnosis, ctx: ReplyContext = {}): SlackMessage {
  const m = d.match;
  if (!m) return buildNoMatchReply(d);
  const t = ui(d.lang);
  const blocks: KnownBlock[] = [];
  let clipped = false;
  blocks.push({ type: 'header', text: { type: 'plain_text', text: clip(m.title, SLACK_LIMITS.headerText).text, emoji: false } });
  const seen = ctx.weekCount && ctx.weekCount > 1 ? (d.lang === 'ja' ? ` · 今週 ${ctx.weekCount} 回目` : ` · ${ctx.weekCount}× this week`) : '';
  blocks.push(context([`${t.confidence} *${Math.round(m.confidence * 100)}%* · ${t.matchedBy} ${t.method[m.method]} · ${t.variant}: ${escapeMrkdwn(m.variantTitle)}${seen} · \`${m.id}\``]));
  blocks.push(section(`*${t.cause}*\n${escapeMrkdwn(m.cause)}`));

  const [top, ...rest] = d.fixes;
  if (top) {
    const lines = [`*${t.fixes}*`, fixSummary(top), escapeMrkdwn(top.why), ...top.reasons.map((r) => `• ${escapeMrkdwn(r)}`)];
    if (top.caveat) lines.push(`:warning: ${escapeMrkdwn(top.caveat)}`);
    blocks.push(section(lines.join('\n')));
    const code = codeBlock(top.snippet, t.truncated);
    clipped ||= code.clipped;
    blocks.push(code.block);
    blocks.push(context([`${t.docs}: ${top.docs.map((u) => `<${u}|${shortUrl(u)}>`).join(' · ')}`]));
  }
  if (rest.length) {
    blocks.push(section(`*${t.moreFixes}*\n${rest.slice(0, 8).map(fixSummary).join('\n')}`));
  }
  const toReplace = d.placeholders.filter((p) => p.fallback);
  if (toReplace.length) blocks.push(context([`${t.replaceNames} ${toReplace.map((p) => `\`${p.value}\` → ${escapeMrkdwn(p.meaning)}`).join(', ')}`]));
  if (d.others.length) blocks.push(context([`${t.alsoInPaste} ${d.others.slice(0, 4).map((o) => `\`${escapeMrkdwn(clip(`${o.type}: ${o.message}`, 200).text)}\``).join(' · ')}`]));
  if (clipped || d.input.truncated) blocks.push(context([`_${t.truncated}_`]));
  blocks.push(feedbackActions(d, ctx));

  const text = clip(`${m.title}: ${m.cause}`, SLACK_LIMITS.fallbackText).text;
  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}

/** The full list of ranked fixes, for the "More fixes" button. */
export function buildAllFixes(d: Diagnosis): SlackMessage {
  const t = ui(d.lang);
  const blocks: KnownBlock[] = [];
  for (const fix of d.fixes) {
    if (blocks.length + 2 > SLACK_LIMITS.blocksPerMessage) break;
    blocks.push(section([fixSummary(fix), escapeMrkdwn(fix.why), ...fix.reasons.map((r) => `• ${escapeMrkdwn(r)}`), fix.caveat ? `:warning: ${escapeMrkdwn(fix.caveat)}` : '', fix.docs.map((u) => `<${u}|${shortUrl(u)}>`).join(' · ')].filter(Boolean).join('\n')));
    blocks.push(codeBlock(fix.snippet, t.truncated).block);
  }
  return { text: clip(d.fixes.map((f) => `${f.rank}. ${f.title}`).join('\n'), SLACK_LIMITS.fallbackText).text, blocks };
}

/** An honest "no curated match", with the nearest faults; never a made-up diagnosis. */
export function buildNoMatchReply(d: Diagnosis, extra?: string): SlackMessage {
  const t = ui(d.lang);
  const head = !d.looksLikeError ? t.notAnError : t.noMatch;
  const blocks: KnownBlock[] = [section(head)];
  if (d.error && d.looksLikeError) blocks.push(context([`\`${escapeMrkdwn(clip(`${d.error.type ? `${d.error.type}: ` : ''}${d.error.message}`, 300).text)}\``]));
  if (d.alternatives.length) blocks.push(section(`${t.nearest}\n${d.alternatives.map((a) => `• \`${a.id}\` ${escapeMrkdwn(a.title)} (${Math.round(a.confidence * 100)}%)`).join('\n')}`));
  if (extra) blocks.push(context([extra]));
  return { text: head, blocks };
}

function shortUrl(url: string): string {
  return url.replace(/^https:\/\//, '').replace(/#.*$/, '').slice(0, 60);
}

/** Size problems of a rendered message; empty when Slack would accept it. */
export function slackSizeProblems(msg: SlackMessage): string[] {
  const problems: string[] = [];
  if (msg.blocks.length > SLACK_LIMITS.blocksPerMessage) problems.push(`${msg.blocks.length} blocks (max ${SLACK_LIMITS.blocksPerMessage})`);
  if (msg.text.length > SLACK_LIMITS.fallbackText) problems.push(`fallback text ${msg.text.length} chars`);
  msg.blocks.forEach((b, i) => {
    if (b.type === 'section' && b.text && b.text.text.length > SLACK_LIMITS.sectionText) problems.push(`block ${i}: section text ${b.text.text.length} chars`);
    if (b.type === 'header' && b.text.text.length > SLACK_LIMITS.headerText) problems.push(`block ${i}: header ${b.text.text.length} chars`);
    if (b.type === 'context') {
      if (b.elements.length > SLACK_LIMITS.contextElements) problems.push(`block ${i}: ${b.elements.length} context elements`);
      for (const el of b.elements) if ('text' in el && typeof el.text === 'string' && el.text.length > SLACK_LIMITS.contextText) problems.push(`block ${i}: context text ${el.text.length} chars`);
    }
    if (b.type === 'actions') {
      for (const el of b.elements) {
        if (el.type === 'button' && (el.text.text.length > SLACK_LIMITS.buttonText || (el.value ?? '').length > SLACK_LIMITS.buttonValue)) problems.push(`block ${i}: button too long`);
      }
    }
  });
  return problems;
}

/** `knowledge check` hook: every example's reply and full fix list must fit Slack's limits. */
export function slackLimitCheck(_fault: Fault, d: Diagnosis): string[] {
  if (!d.match) return [];
  return [...slackSizeProblems(buildFaultReply(d, { occurrenceId: 123456789, weekCount: 12 })), ...slackSizeProblems(buildAllFixes(d)).map((p) => `more fixes: ${p}`)].map((p) => `Slack reply too large: ${p}`);
}
