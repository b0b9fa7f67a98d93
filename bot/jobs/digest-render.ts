import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from '../render/blocks.js';
import { SLACK_LIMITS, clip, escapeMrkdwn } from '../render/slack-limits.js';
import type { Lang } from '../triage/types.js';
import type { Change, Digest, DigestFingerprint } from './digest.js';

export interface DigestRenderOptions {
  lang?: Lang;
  /** IANA zone for the dates shown (FAULTLINE_TZ). */
  timeZone?: string;
}

const STRINGS = {
  en: {
    title: 'Faultline weekly digest',
    summary: (total: number, people: number, channels: number) =>
      `*${total}* error${total === 1 ? '' : 's'} diagnosed for *${people}* ${people === 1 ? 'person' : 'people'} in *${channels}* channel${channels === 1 ? '' : 's'}`,
    coverage: (pct: string) => `*${pct}* matched a curated fault`,
    previous: (n: number) => `previous period: ${n}`,
    topFaults: 'Top recurring faults',
    change: { new: 'new', rising: 'rising', steady: 'steady', falling: 'falling' } as Record<Change, string>,
    people: (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`,
    channels: (n: number) => `${n} channel${n === 1 ? '' : 's'}`,
    fixThatWorked: 'Fix that worked',
    solvedTimes: (n: number) => `solved ${n}×`,
    fixItOnce: 'Fix it once',
    messages: 'messages',
    quiet: 'Gone quiet',
    unmatched: 'Not in the catalogue yet (candidates for new fault files)',
    ai: 'Answered by the AI fallback (promote to curated faults?)',
    review: 'Entries to review (negative feedback rose)',
    reviewLine: (neg: number, all: number, share: string, prev: string | null) =>
      `${neg} of ${all} clicks "Didn't help" / "Wrong diagnosis" (${share}${prev ? `, was ${prev}` : ''})`,
    seen: (n: number, prev: number) => `${n}× (previous ${prev})`,
    truncated: 'Shortened to fit Slack; run `faultline digest` for everything.',
    footer: '`faultline digest --json` gives these figures to tools.',
  },
  ja: {
    title: 'Faultline 週次ダイジェスト',
    summary: (total: number, people: number, channels: number) => `*${channels}* チャンネルの *${people}* 人に *${total}* 件のエラーを診断`,
    coverage: (pct: string) => `*${pct}* がカタログの既知の障害に一致`,
    previous: (n: number) => `前期間: ${n} 件`,
    topFaults: '繰り返し発生した障害',
    change: { new: '新規', rising: '増加', steady: '横ばい', falling: '減少' } as Record<Change, string>,
    people: (n: number) => `${n} 人`,
    channels: (n: number) => `${n} チャンネル`,
    fixThatWorked: '効いた対処法',
    solvedTimes: (n: number) => `${n} 回解決`,
    fixItOnce: '根本対策',
    messages: 'メッセージ',
    quiet: '発生しなくなった障害',
    unmatched: 'カタログ未登録のエラー (新しい障害ファイルの候補)',
    ai: 'AI フォールバックが回答したエラー (カタログ化の候補)',
    review: '見直しが必要なエントリ (否定的なフィードバックが増加)',
    reviewLine: (neg: number, all: number, share: string, prev: string | null) =>
      `${all} 件中 ${neg} 件が「役に立たなかった」/「診断が違う」 (${share}${prev ? `、前期間 ${prev}` : ''})`,
    seen: (n: number, prev: number) => `${n} 回 (前期間 ${prev} 回)`,
    truncated: 'Slack の制限に合わせて省略しました。全体は `faultline digest` で確認できます。',
    footer: '`faultline digest --json` で同じ数値を取得できます。',
  },
} as const;

type Strings = (typeof STRINGS)['en'];

const CHANGE_MARK: Record<Change, string> = { new: '✦', rising: '▲', steady: '•', falling: '▼' };

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function periodLabel(d: Digest, lang: Lang, timeZone: string | undefined): string {
  const fmt = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${fmt.format(new Date(d.period.from))} – ${fmt.format(new Date(d.period.to))}${timeZone ? ` (${timeZone})` : ''}`;
}

/** The line of an excerpt a reader recognises: the last exception line, else the last line. */
export function headline(excerpt: string | null, max = 160): string | null {
  if (!excerpt) return null;
  const lines = excerpt.split('\n').map((l) => l.trim()).filter(Boolean);
  const exceptionLine = [...lines].reverse().find((l) => /^[A-Za-z_][\w.]{0,200}(?:Error|Exception|Warning|Greenlet|Exit)\b/.test(l));
  const line = exceptionLine ?? lines[lines.length - 1];
  return line ? clip(line, max).text : null;
}

function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\``;
}

/** Only plain https links go into mrkdwn `<url|label>`; anything else could break the markup. */
function link(url: string, label: string): string | null {
  return /^https:\/\/[^\s<>|]{1,500}$/.test(url) ? `<${url}|${label}>` : null;
}

function links(urls: readonly string[], s: Strings): string {
  const parts = urls.map((u, i) => link(u, `${i + 1}`)).filter((l): l is string => l !== null);
  return parts.length ? `${s.messages}: ${parts.join(' ')}` : '';
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText).text } };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, SLACK_LIMITS.contextText).text }] };
}

function fingerprintLines(list: readonly DigestFingerprint[], s: Strings): string[] {
  return list.map((u) => {
    const head = headline(u.example);
    const seen = links(u.links.slice(0, 1), s);
    return `• ${s.seen(u.count, u.previous)} ${head ? inlineCode(head) : inlineCode(u.fingerprint)}${seen ? ` · ${seen}` : ''}\n   _${u.fingerprint}_`;
  });
}

/** The digest as a Slack message within Slack's limits (50 blocks, 3,000 characters per section). */
export function renderDigestBlocks(d: Digest, options: DigestRenderOptions = {}): SlackMessage {
  const lang = options.lang ?? 'en';
  const s: Strings = STRINGS[lang] as Strings;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(s.title, SLACK_LIMITS.headerText).text } },
    context(escapeMrkdwn(periodLabel(d, lang, options.timeZone))),
  ];
  const summary = [s.summary(d.total, d.users, d.channels)];
  if (d.coverage !== null) summary.push(s.coverage(percent(d.coverage)));
  summary.push(s.previous(d.previousTotal));
  blocks.push(section(summary.join(' · ')));

  if (d.faults.length) {
    blocks.push({ type: 'divider' }, section(`*${s.topFaults}*`));
    d.faults.forEach((f, i) => {
      const name = f.title ? `*${escapeMrkdwn(f.title)}* ${inlineCode(f.id)}` : `*${inlineCode(f.id)}*`;
      const lines = [
        `${i + 1}. ${name}`,
        `*${f.count}*× ${CHANGE_MARK[f.change]} ${s.change[f.change]} (${f.previous}) · ${s.people(f.users)} · ${s.channels(f.channels)} · \`${f.sparkline}\``,
      ];
      if (f.fixThatWorked) {
        lines.push(`:white_check_mark: ${s.fixThatWorked}: ${escapeMrkdwn(f.fixThatWorked.title ?? f.fixThatWorked.id)} (${s.solvedTimes(f.fixThatWorked.solved)})`);
      }
      if (f.fixItOnce) lines.push(`:hammer_and_wrench: ${s.fixItOnce}: ${escapeMrkdwn(f.fixItOnce)}`);
      const l = links(f.links, s);
      if (l) lines.push(l);
      blocks.push(section(lines.join('\n')));
    });
  }
  if (d.quiet.length) {
    blocks.push(section(`*${s.quiet}*\n${d.quiet.map((q) => `• ${q.title ? escapeMrkdwn(q.title) : inlineCode(q.id)} (${q.previous} → 0)`).join('\n')}`));
  }
  if (d.unmatched.length) blocks.push({ type: 'divider' }, section(`*${s.unmatched}*\n${fingerprintLines(d.unmatched, s).join('\n')}`));
  if (d.ai.length) blocks.push(section(`*${s.ai}*\n${fingerprintLines(d.ai, s).join('\n')}`));
  if (d.needsReview.length) {
    const lines = d.needsReview.map(
      (r) =>
        `• ${r.title ? escapeMrkdwn(r.title) : inlineCode(r.id)}: ${s.reviewLine(r.negative, r.feedback, percent(r.share), r.previousShare === null ? null : percent(r.previousShare))}`,
    );
    blocks.push(section(`*${s.review}*\n${lines.join('\n')}`));
  }
  blocks.push(context(s.footer));

  let out = blocks;
  if (out.length > SLACK_LIMITS.blocksPerMessage) {
    out = [...blocks.slice(0, SLACK_LIMITS.blocksPerMessage - 1), context(s.truncated)];
  }
  const top = d.faults[0];
  const text = clip(
    `${s.title}: ${d.total}${d.coverage !== null ? `, ${percent(d.coverage)}` : ''}${top ? ` · ${top.title ?? top.id} ${top.count}×` : ''}`,
    SLACK_LIMITS.fallbackText,
  ).text;
  return { text, blocks: out };
}

/** The digest for a terminal: the same content as the Slack message, plain text. */
export function renderDigestText(d: Digest, options: DigestRenderOptions = {}): string {
  const lang = options.lang ?? 'en';
  const s: Strings = STRINGS[lang] as Strings;
  const plain = (t: string) => t.replace(/\*/g, '');
  const out: string[] = [`${s.title}`, periodLabel(d, lang, options.timeZone), ''];
  const summary = [plain(s.summary(d.total, d.users, d.channels))];
  if (d.coverage !== null) summary.push(plain(s.coverage(percent(d.coverage))));
  summary.push(s.previous(d.previousTotal));
  out.push(summary.join(' · '));

  if (d.faults.length) {
    out.push('', s.topFaults);
    const width = Math.max(...d.faults.map((f) => String(f.count).length));
    d.faults.forEach((f, i) => {
      out.push(
        `${String(i + 1).padStart(2)}. ${String(f.count).padStart(width)}×  ${f.sparkline}  ${CHANGE_MARK[f.change]} ${s.change[f.change]} (${f.previous})  ${f.title ? `${f.title} [${f.id}]` : f.id}`,
      );
      const indent = ' '.repeat(width + 6);
      out.push(`${indent}${s.people(f.users)}, ${s.channels(f.channels)}`);
      if (f.fixThatWorked) out.push(`${indent}${s.fixThatWorked}: ${f.fixThatWorked.title ?? f.fixThatWorked.id} (${s.solvedTimes(f.fixThatWorked.solved)})`);
      if (f.fixItOnce) out.push(`${indent}${s.fixItOnce}: ${f.fixItOnce}`);
      for (const l of f.links) out.push(`${indent}${l}`);
    });
  }
  if (d.quiet.length) {
    out.push('', s.quiet, ...d.quiet.map((q) => `  - ${q.title ?? q.id} (${q.previous} → 0)`));
  }
  const fingerprints = (title: string, list: readonly DigestFingerprint[]) => {
    if (!list.length) return;
    out.push('', title);
    for (const u of list) {
      out.push(`  - ${s.seen(u.count, u.previous)}  ${u.fingerprint}`);
      const head = headline(u.example);
      if (head) out.push(`      ${head}`);
    }
  };
  fingerprints(s.unmatched, d.unmatched);
  fingerprints(s.ai, d.ai);
  if (d.needsReview.length) {
    out.push('', s.review);
    for (const r of d.needsReview) {
      out.push(`  - ${r.title ?? r.id}: ${s.reviewLine(r.negative, r.feedback, percent(r.share), r.previousShare === null ? null : percent(r.previousShare))}`);
    }
  }
  return `${out.join('\n')}\n`;
}
