import type { HomeView, KnownBlock, ModalView } from '@slack/types';
import type { Fault } from '../kb/compile.js';
import type { Diagnosis, RankedFix } from '../triage/types.js';
import { codeBlock, context, feedbackActions, section, type ReplyContext, type SlackMessage } from './block-kit.js';
import { ACTION_IDS, SLACK_LIMITS, clip, escapeMrkdwn, fallbackText } from './slack-limits.js';
import { namesWithSources, ui, variantLabel } from './strings.js';

export type { ReplyContext, SlackMessage } from './block-kit.js';

function fixSummary(fix: RankedFix, d: Diagnosis): string {
  // With the variant unknown every fix says which variant it is for.
  const label = d.match && d.match.variant === null ? ` _[${escapeMrkdwn(variantLabel(d, fix.variants))}]_` : '';
  return `*${fix.rank}. ${escapeMrkdwn(fix.title)}*${fix.available ? '' : ' _(n/a)_'}${label} — ${escapeMrkdwn(fix.tradeoff)}`;
}

/** A fix's spellings, each with its label when the paste does not tell the version. */
function formsOf(fix: RankedFix): { label: string | null; snippet: string; verifiedOn: string | null; notVerified: string | null }[] {
  return [{ label: fix.formLabel, snippet: fix.snippet, verifiedOn: fix.verifiedOn, notVerified: fix.notVerified }, ...fix.otherForms];
}

function verificationLine(v: { verifiedOn: string | null; notVerified: string | null }, t: ReturnType<typeof ui>): string {
  return v.verifiedOn ? `:white_check_mark: ${t.verifiedOn} ${escapeMrkdwn(v.verifiedOn)}` : `_${t.notVerified}: ${escapeMrkdwn(v.notVerified ?? '')}_`;
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
  blocks.push(context([`${t.confidence} *${Math.round(m.confidence * 100)}%* · ${t.matchedBy} ${t.method[m.method]} · ${t.variant}: ${escapeMrkdwn(m.variantTitle ?? t.variantUnknown)}${seen} · \`${m.id}\``]));
  if (m.variant !== null) blocks.push(section(`*${t.cause}*\n${escapeMrkdwn(m.cause)}`));
  else {
    const rows = m.variants.map((v) => `• *${escapeMrkdwn(v.title)}* (\`${v.id}\`)\n      ${t.lookFor}: ${v.lookFor.map(escapeMrkdwn).join('; ')}`);
    blocks.push(section(`*${t.possibleVariants}*\n${rows.join('\n')}`));
  }

  const [top, ...rest] = d.fixes;
  if (top) {
    const lines = [`*${m.variant === null ? t.fixesPerVariant : t.fixes}*`, fixSummary(top, d), escapeMrkdwn(top.why), ...top.reasons.map((r) => `• ${escapeMrkdwn(r)}`)];
    if (top.caveat) lines.push(`:warning: ${escapeMrkdwn(top.caveat)}`);
    if (!top.otherForms.length) lines.push(verificationLine(top, t));
    blocks.push(section(lines.join('\n')));
    for (const form of formsOf(top)) {
      if (form.label) blocks.push(context([`*${t.formFor} ${escapeMrkdwn(form.label)}* · ${verificationLine(form, t)}`]));
      const code = codeBlock(form.snippet, t.truncated);
      clipped ||= code.clipped;
      blocks.push(code.block);
    }
    blocks.push(context([`${t.docs}: ${top.docs.map((u) => `<${u}|${shortUrl(u)}>`).join(' · ')}`]));
  }
  if (rest.length) {
    blocks.push(section(`*${t.moreFixes}*\n${rest.slice(0, 8).map((f) => fixSummary(f, d)).join('\n')}`));
  }
  const found = namesWithSources(d);
  if (found.length) blocks.push(context([`${t.namesFound}: ${escapeMrkdwn(clip(found.join(', '), 600).text)}`]));
  const toReplace = d.placeholders.filter((p) => p.fallback);
  if (toReplace.length) blocks.push(context([`${t.replaceNames} ${toReplace.map((p) => `\`${p.value}\` → ${escapeMrkdwn(p.meaning)}`).join(', ')}`]));
  if (d.others.length) blocks.push(context([`${d.otherDistinct > 1 ? t.otherDistinct.replace('{n}', String(d.otherDistinct)) : t.alsoInPaste} ${d.others.slice(0, 4).map((o) => `\`${escapeMrkdwn(clip(`${o.type}: ${o.message}`, 200).text)}\``).join(' · ')}`]));
  if (d.input.truncated) blocks.push(inputNotes(d));
  if (clipped) blocks.push(context([`_${t.truncated}_`]));
  blocks.push(feedbackActions(d, ctx));

  const text = fallbackText(`${m.title}: ${m.cause}`);
  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}

/** The full list of ranked fixes, for the "More fixes" button. */
export function buildAllFixes(d: Diagnosis): SlackMessage {
  const t = ui(d.lang);
  const blocks: KnownBlock[] = [];
  for (const fix of d.fixes) {
    const forms = formsOf(fix);
    if (blocks.length + 1 + forms.reduce((n, f) => n + (f.label ? 2 : 1), 0) > SLACK_LIMITS.blocksPerMessage) break;
    blocks.push(section([fixSummary(fix, d), escapeMrkdwn(fix.why), ...fix.reasons.map((r) => `• ${escapeMrkdwn(r)}`), fix.caveat ? `:warning: ${escapeMrkdwn(fix.caveat)}` : '', forms.length === 1 ? verificationLine(fix, t) : '', fix.docs.map((u) => `<${u}|${shortUrl(u)}>`).join(' · ')].filter(Boolean).join('\n')));
    for (const form of forms) {
      if (form.label) blocks.push(context([`*${t.formFor} ${escapeMrkdwn(form.label)}* · ${verificationLine(form, t)}`]));
      blocks.push(codeBlock(form.snippet, t.truncated).block);
    }
  }
  return { text: fallbackText(d.fixes.map((f) => `${f.rank}. ${f.title}`).join('\n')), blocks };
}

/** An honest "no curated match", with the nearest faults; never a made-up diagnosis. */
export function buildNoMatchReply(d: Diagnosis, extra?: string): SlackMessage {
  const t = ui(d.lang);
  const head = !d.looksLikeError ? t.notAnError : t.noMatch;
  const blocks: KnownBlock[] = [section(head)];
  if (d.error && d.looksLikeError) blocks.push(context([`\`${escapeMrkdwn(clip(`${d.error.type ? `${d.error.type}: ` : ''}${d.error.message}`, 300).text)}\``]));
  if (d.alternatives.length) blocks.push(section(`${t.nearest}\n${d.alternatives.map((a) => `• \`${a.id}\` ${escapeMrkdwn(a.title)} (${Math.round(a.confidence * 100)}%)`).join('\n')}`));
  if (d.input.truncated && d.looksLikeError) blocks.push(inputNotes(d));
  if (extra) blocks.push(context([extra]));
  return { text: head, blocks };
}

/** What part of a long paste was read (its head and tail windows), and why. */
function inputNotes(d: Diagnosis): KnownBlock {
  return context([clip(d.input.notes.map((n) => `_${escapeMrkdwn(n)}_`).join(' '), SLACK_LIMITS.contextText).text]);
}

/**
 * The answer to someone who asked about an error the catalogue does not know. With the LLM
 * fallback off it also says how to turn it on.
 */
export function buildUnansweredReply(d: Diagnosis, llmEnabled: boolean): SlackMessage {
  return buildNoMatchReply(d, d.looksLikeError && !llmEnabled ? ui(d.lang).aiOff : undefined);
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

// Slack bot surfaces: the AI answer, notices, slash command answers, App Home and the paste modal.

/** The short "looking into it" reply posted before a slow answer replaces it (chat.update). */
export function buildLookingIntoIt(lang: Diagnosis['lang']): SlackMessage {
  const text = ui(lang).lookingIntoIt;
  return { text, blocks: [context([`:hourglass_flowing_sand: ${text}`])] };
}

/** A plain message: one section, clipped to fit. */
export function buildNotice(text: string, note?: string): SlackMessage {
  const blocks: KnownBlock[] = [section(text)];
  if (note) blocks.push(context([note]));
  return { text: fallbackText(text), blocks };
}

const FEEDBACK_ACK_BLOCK = 'faultline_feedback_ack';

/**
 * The answer's blocks with a line acknowledging a feedback click, placed under the buttons and
 * replacing the previous acknowledgement, so repeated clicks never grow the message.
 */
export function withFeedbackAck(blocks: readonly KnownBlock[], ack: string): KnownBlock[] {
  const kept = blocks.filter((b) => b.block_id !== FEEDBACK_ACK_BLOCK);
  const line: KnownBlock = { ...context([ack]), block_id: FEEDBACK_ACK_BLOCK };
  const at = kept.findIndex((b) => b.block_id === 'faultline_feedback');
  if (at < 0) return [...kept, line].slice(-SLACK_LIMITS.blocksPerMessage);
  // Replies end with the buttons, so at the block limit the line would be what is cut: make room above.
  const room = kept.length >= SLACK_LIMITS.blocksPerMessage && at > 0 ? [...kept.slice(0, at - 1), ...kept.slice(at)] : kept;
  const i = room.findIndex((b) => b.block_id === 'faultline_feedback');
  return [...room.slice(0, i + 1), line, ...room.slice(i + 1)];
}

export function buildHelp(lang: Diagnosis['lang']): SlackMessage {
  return buildNotice(ui(lang).help);
}

/** `/faultline search`: ids and titles, best first. */
export function buildSearchResults(words: string, hits: readonly { fault: Fault; score: number }[], lang: Diagnosis['lang']): SlackMessage {
  const t = ui(lang);
  if (hits.length === 0) return buildNotice(t.searchNone);
  const lines = hits.map((h) => `• \`${h.fault.id}\` ${escapeMrkdwn(h.fault.title[lang])}`);
  return buildNotice(`*${t.searchResults}* _${escapeMrkdwn(clip(words, 80).text)}_\n${lines.join('\n')}`, `\`/faultline show <id>\``);
}

/** `/faultline show`: the fault, how it is recognised, its variants and every fix with its docs. */
export function buildFaultCard(fault: Fault, lang: Diagnosis['lang']): SlackMessage {
  const t = ui(lang);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(fault.title[lang], SLACK_LIMITS.headerText).text, emoji: false } },
    context([`\`${fault.id}\` · ${escapeMrkdwn(fault.library)}${fault.codes.length ? ` · ${fault.codes.map((c) => `\`${c}\``).join(' ')}` : ''}`]),
    section(escapeMrkdwn(fault.summary[lang])),
    section(`*${t.variants}*\n${fault.causes.map((c) => `• ${escapeMrkdwn(c.title[lang])}`).join('\n')}`),
  ];
  const fixes = [...fault.fixes].sort((a, b) => b.score - a.score);
  blocks.push(section(`*${t.fixes}*\n${fixes.map((f, i) => `*${i + 1}. ${escapeMrkdwn(f.title[lang])}*${f.requires ? ` _(${Object.entries(f.requires).map(([k, v]) => `${k} ${v}`).join(', ')})_` : ''}\n${f.docs.slice(0, 2).map((u) => `<${u}|${shortUrl(u)}>`).join(' · ')}`).join('\n')}`));
  return { text: fallbackText(`${fault.title[lang]}: ${fault.summary[lang]}`), blocks };
}

export interface HomeData {
  lang: Diagnosis['lang'];
  /** This week's most frequent faults in the workspace. */
  topFaults: { id: string; title: string; count: number }[];
  /** This week's errors no curated fault matched. */
  unmatched: number;
  recent: { at: number; title: string; source: string; permalink: string | null }[];
  /** IANA zone for the times shown (FAULTLINE_TZ); default UTC. */
  timeZone?: string;
}

/** The App Home tab: this week's top faults, the viewer's recent diagnoses, a paste button. */
export function buildAppHome(data: HomeData): HomeView {
  const t = ui(data.lang);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: t.homeTitle } },
    section(t.homeIntro),
    { type: 'actions', elements: [{ type: 'button', action_id: ACTION_IDS.openDiagnoseModal, style: 'primary', text: { type: 'plain_text', text: clip(t.homeDiagnoseButton, SLACK_LIMITS.buttonText).text } }] },
    { type: 'divider' },
    section(`*${t.homeTopFaults}*`),
  ];
  if (data.topFaults.length === 0 && data.unmatched === 0) blocks.push(context([t.homeNoFaults]));
  const max = Math.max(1, ...data.topFaults.map((f) => f.count));
  const rows = data.topFaults.map((f) => `${bar(f.count, max)} *${f.count}${t.timesThisWeek}* ${escapeMrkdwn(f.title)} \`${f.id}\``);
  if (data.unmatched) rows.push(`${bar(data.unmatched, Math.max(max, data.unmatched))} *${data.unmatched}${t.timesThisWeek}* _${t.homeUnmatched}_`);
  if (rows.length) blocks.push(section(rows.join('\n')));
  blocks.push({ type: 'divider' }, section(`*${t.homeRecent}*`));
  if (data.recent.length === 0) blocks.push(context([t.homeNoRecent]));
  else {
    const fmt = new Intl.DateTimeFormat(data.lang === 'ja' ? 'ja-JP' : 'en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: data.timeZone ?? 'UTC', timeZoneName: 'short' });
    blocks.push(section(data.recent.map((r) => `• ${escapeMrkdwn(r.title)} · _${t.homeSources[r.source] ?? r.source}_ · ${fmt.format(r.at)}${r.permalink ? ` · <${r.permalink}|${t.homeOpen}>` : ''}`).join('\n')));
  }
  return { type: 'home', blocks: blocks.slice(0, SLACK_LIMITS.viewBlocks) };
}

function bar(n: number, max: number): string {
  const width = Math.max(1, Math.round((n / max) * 8));
  return `\`${'█'.repeat(width)}${' '.repeat(8 - width)}\``;
}

/** The paste modal opened from App Home. */
export function buildDiagnoseModal(lang: Diagnosis['lang']): ModalView {
  const t = ui(lang);
  return {
    type: 'modal',
    callback_id: ACTION_IDS.diagnoseModal,
    title: { type: 'plain_text', text: clip(t.modalTitle, SLACK_LIMITS.viewTitle).text },
    submit: { type: 'plain_text', text: clip(t.modalSubmit, SLACK_LIMITS.viewButton).text },
    close: { type: 'plain_text', text: clip(t.modalClose, SLACK_LIMITS.viewButton).text },
    blocks: [
      {
        type: 'input',
        block_id: ACTION_IDS.diagnoseModalBlock,
        label: { type: 'plain_text', text: t.modalLabel },
        element: { type: 'plain_text_input', action_id: ACTION_IDS.diagnoseModalInput, multiline: true, max_length: SLACK_LIMITS.inputMaxLength, placeholder: { type: 'plain_text', text: clip(t.modalPlaceholder, SLACK_LIMITS.inputPlaceholder).text } },
      },
    ],
  };
}

/** A diagnosis shown in the modal (no feedback buttons: there is no message to update). */
export function buildDiagnosisModal(message: SlackMessage, lang: Diagnosis['lang']): ModalView {
  const t = ui(lang);
  return {
    type: 'modal',
    callback_id: `${ACTION_IDS.diagnoseModal}_result`,
    title: { type: 'plain_text', text: clip(t.modalTitle, SLACK_LIMITS.viewTitle).text },
    close: { type: 'plain_text', text: clip(t.modalClose, SLACK_LIMITS.viewButton).text },
    blocks: message.blocks.filter((b) => b.type !== 'actions').slice(0, SLACK_LIMITS.viewBlocks),
  };
}
