import { redactText } from '../../redact/redact.js';
import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { digestCatalogue } from '../../jobs/digest-catalogue.js';
import { computeDigest, isEmptyDigest } from '../../jobs/digest.js';
import { renderDigestBlocks } from '../../jobs/digest-render.js';
import { scheduledPeriod } from '../../jobs/digest-scheduler.js';
import { buildAiReply } from '../../render/ai-blocks.js';
import { buildFaultCard, buildFaultReply, buildHelp, buildLookingIntoIt, buildNoMatchReply, buildNotice, buildUnansweredReply, buildSearchResults, type SlackMessage } from '../../render/blocks.js';
import { ui } from '../../render/strings.js';
import { DAY_MS, isRecordable, occurrenceFromDiagnosis } from '../../store/occurrences.js';
import { CHANNEL_MODES, type ChannelMode } from '../../store/slack-state.js';
import type { Lang } from '../../triage/types.js';
import type { Services } from '../services.js';
import { errorFields, failureRef } from '../slack-errors.js';
import { explainSafely, recordOccurrence, weekCount, withUnrecordedNote } from '../thread-reply.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const SUBCOMMANDS = new Set(['help', 'search', 'show', 'mode', 'digest']);

/** Splits `/faultline <sub> <rest>`; anything that is not a subcommand is error text. */
export function parseCommandText(text: string): { sub: string; rest: string } {
  const trimmed = text.trim();
  if (!trimmed) return { sub: 'help', rest: '' };
  const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(trimmed);
  const word = m?.[1]?.toLowerCase() ?? '';
  if (SUBCOMMANDS.has(word)) return { sub: word, rest: (m?.[2] ?? '').trim() };
  return { sub: 'diagnose', rest: trimmed };
}

const ephemeral = (msg: SlackMessage, extra: { replace_original?: boolean } = {}): RespondArguments => ({ response_type: 'ephemeral', text: msg.text, blocks: msg.blocks, ...extra });

/**
 * `/faultline`: acknowledged at once (Slack's 3-second limit), answered through respond(),
 * always privately to the person who typed it.
 */
export function createFaultlineCommandHandler(services: Services) {
  return async ({ command, ack, respond, client, context }: CommandArgs): Promise<void> => {
    await ack();
    const workspace = context.teamId ?? command.team_id;
    const { sub, rest } = parseCommandText(command.text ?? '');
    const lang = await services.locale.langFor(client, command.user_id);
    const t = ui(lang);
    try {
      switch (sub) {
        case 'help':
          await respond(ephemeral(buildHelp(lang)));
          return;
        case 'search':
          await respond(ephemeral(rest ? buildSearchResults(rest, services.engine.index.search(rest, 8), lang) : buildNotice(t.searchUsage)));
          return;
        case 'show': {
          if (!rest) return void (await respond(ephemeral(buildNotice(t.showUsage))));
          const exact = services.engine.fault(rest);
          const faults = exact ? [exact] : services.engine.index.faultsForCode(rest.toLowerCase());
          if (faults.length === 0) return void (await respond(ephemeral(buildNotice(t.showNone))));
          const cards = faults.slice(0, 3).map((f) => buildFaultCard(f, lang));
          await respond(ephemeral({ text: cards.map((c) => c.text).join('\n'), blocks: cards.flatMap((c) => c.blocks).slice(0, 50) }));
          return;
        }
        case 'mode':
          await respond(ephemeral(await setMode(services, workspace, command.channel_id, command.user_id, rest, lang)));
          return;
        case 'digest':
          await respond(ephemeral(await digestPreview(services, workspace, lang)));
          return;
        default:
          // Redacted on arrival, like every paste (see joinParts).
          await diagnoseText(services, { workspace, channel: command.channel_id, user: command.user_id, text: redactText(rest), lang }, respond);
      }
    } catch (err) {
      const ref = failureRef();
      services.log.error('faultline.command_failed', { ref, sub, channel: command.channel_id, ...errorFields(err) });
      await respond(ephemeral(buildNotice(`${t.failed} \`${ref}\``))).catch(() => undefined);
    }
  };
}

async function diagnoseText(services: Services, req: { workspace: string; channel: string; user: string; text: string; lang: Lang }, respond: CommandArgs['respond']): Promise<void> {
  const d = await services.diagnoser.diagnose(req.text, { lang: req.lang });
  let unrecorded: string | null = null;
  const record = async (method?: 'ai'): Promise<number | null> => {
    if (!isRecordable(d)) return null;
    const outcome = await recordOccurrence(services, { ...occurrenceFromDiagnosis(d), ...(method ? { method } : {}), source: 'slash', workspace: req.workspace, channel: req.channel, user: req.user, text: req.text, permalink: null });
    unrecorded = outcome.unrecorded;
    return outcome.id;
  };
  const noted = (msg: SlackMessage) => withUnrecordedNote(msg, d.lang, unrecorded);
  if (d.match) {
    const occurrenceId = await record();
    if (occurrenceId !== null) services.recent.put(occurrenceId, d);
    await respond(ephemeral(noted(buildFaultReply(d, { occurrenceId: occurrenceId ?? undefined, weekCount: await weekCount(services, req.workspace, d.match.id) }))));
    return;
  }
  if (d.looksLikeError && services.explainer.enabled) {
    await respond(ephemeral(buildLookingIntoIt(req.lang)));
    const answer = await explainSafely(services, { text: req.text, diagnosis: d, lang: req.lang, workspace: req.workspace });
    const occurrenceId = await record(answer ? 'ai' : undefined);
    await respond(ephemeral(noted(answer ? buildAiReply(d, answer, { occurrenceId: occurrenceId ?? undefined }) : buildNoMatchReply(d)), { replace_original: true }));
    return;
  }
  await record();
  await respond(ephemeral(noted(buildUnansweredReply(d, services.explainer.enabled))));
}

async function setMode(services: Services, workspace: string, channel: string, user: string, arg: string, lang: Lang): Promise<SlackMessage> {
  const t = ui(lang);
  // DMs (D...) and group DMs have no mode: the bot always answers there when asked.
  if (channel.startsWith('D')) return buildNotice(t.modeNotInDm);
  const current = (await services.store.slack.channelMode(workspace, channel)) ?? services.settings.defaultMode;
  if (!arg) return buildNotice(`${t.modeNow} *${current}*\n${t.modeExplained[current]}`, t.modeUsage);
  const mode = arg.toLowerCase().replace(/[_ ]/g, '-') as ChannelMode;
  if (!(CHANNEL_MODES as readonly string[]).includes(mode)) return buildNotice(t.modeUsage);
  await services.store.slack.setChannelMode(workspace, channel, mode, user);
  services.log.info('faultline.mode_set', { channel, mode });
  return buildNotice(`${t.modeSet} *${mode}*\n${t.modeExplained[mode]}`);
}

async function digestPreview(services: Services, workspace: string, lang: Lang): Promise<SlackMessage> {
  const now = services.now();
  // The period the next scheduled digest will cover, so far; a week when the cron cannot say.
  const from = scheduledPeriod(services.settings.digestCron, services.settings.timeZone, now)?.to ?? now - 7 * DAY_MS;
  const digest = await computeDigest(services.store.stats, {
    from: Math.min(from, now - 1),
    to: now + 1,
    workspace,
    lang,
    catalogue: digestCatalogue([...services.engine.index.faults.values()]),
  });
  if (isEmptyDigest(digest)) return buildNotice(ui(lang).digestEmpty);
  return renderDigestBlocks(digest, { lang, timeZone: services.settings.timeZone });
}
