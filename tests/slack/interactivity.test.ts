import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../bot/render/slack-limits.js';
import { slackEscape } from './signed-requests.js';
import { BOT_ID, BOT_USER, TEAM, type SlackCall } from './stand-in-slack.js';
import { startTestBot, type TestBot } from './test-bot.js';

const TRACE = readFileSync(join(import.meta.dirname, '..', '..', 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
const CHANNEL = 'C0PASTE01';
let clock = 1_720_000_000;
const nextTs = () => `${++clock}.000100`;

type Block = { type: string; block_id?: string; elements?: { action_id?: string; value?: string }[] };

/** The block_actions payload Slack sends when someone clicks a button on the bot's reply. */
function clickOn(reply: SlackCall, actionId: string, user = 'U0BOB0001'): Record<string, unknown> {
  const blocks = reply.params.blocks as Block[];
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!button) throw new Error(`no ${actionId} button on the reply`);
  const ts = String(reply.response?.ts);
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'test' },
    user: { id: user, username: 'bob', team_id: TEAM },
    api_app_id: 'A0TEST',
    token: 'legacy',
    trigger_id: 'trigger-1',
    container: { type: 'message', message_ts: ts, channel_id: CHANNEL, is_ephemeral: false, thread_ts: reply.params.thread_ts },
    channel: { id: CHANNEL, name: 'backend' },
    message: { type: 'message', user: BOT_USER, bot_id: BOT_ID, ts, thread_ts: reply.params.thread_ts, text: reply.params.text, blocks },
    response_url: 'http://127.0.0.1:1/respond/unused',
    actions: [{ type: 'button', action_id: actionId, block_id: 'faultline_feedback', value: button.value, action_ts: `${clock}.5` }],
    state: { values: {} },
  };
}

describe('buttons, shortcut, mentions and App Home', () => {
  let t: TestBot;
  let reply: SlackCall;
  beforeAll(async () => {
    t = await startTestBot();
    const ts = nextTs();
    await t.sendEvent({ type: 'message', channel: CHANNEL, channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(TRACE), ts });
    [reply] = (await t.slack.waitFor('chat.postMessage')) as [SlackCall];
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.settle();
    t.slack.reset();
  });

  it('records a "Solved it" click and acknowledges it by updating the answer', async () => {
    const res = await t.sendInteraction(clickOn(reply, ACTION_IDS.solved));
    expect(res.status).toBe(200);
    const [update] = await t.slack.waitFor('chat.update');
    expect(update!.params).toMatchObject({ channel: CHANNEL, ts: reply.response?.ts });
    const blocks = update!.params.blocks as Block[];
    expect(JSON.stringify(blocks)).toContain('<@U0BOB0001> marked this *solved*');
    // The buttons stay for everyone else; the acknowledgement sits under them.
    expect(blocks.findIndex((b) => b.block_id === 'faultline_feedback_ack')).toBe(blocks.findIndex((b) => b.block_id === 'faultline_feedback') + 1);

    const db = new Database(t.dbPath, { readonly: true });
    const rows = db.prepare('SELECT f.kind, f.fix_id, o.fault_id FROM feedback f JOIN occurrences o ON o.id = f.occurrence_id').all();
    db.close();
    // The fix credited is the one the answer put first (joinedload for this many-to-one).
    expect(rows).toEqual([{ kind: 'solved', fix_id: expect.stringContaining('joinedload'), fault_id: 'sqlalchemy.missing-greenlet' }]);
  });

  it('replaces a person\'s earlier opinion, and keeps one acknowledgement line', async () => {
    await t.sendInteraction(clickOn(reply, ACTION_IDS.wrong));
    const [update] = await t.slack.waitFor('chat.update');
    const blocks = update!.params.blocks as Block[];
    expect(blocks.filter((b) => b.block_id === 'faultline_feedback_ack')).toHaveLength(1);
    const db = new Database(t.dbPath, { readonly: true });
    const rows = db.prepare('SELECT kind FROM feedback').all();
    db.close();
    expect(rows).toEqual([{ kind: 'wrong' }]);
  });

  it('tells the clicker when a button is stale or forged, and records nothing', async () => {
    const payload = clickOn(reply, ACTION_IDS.didntHelp);
    (payload.actions as { value: string }[])[0]!.value = JSON.stringify({ o: 999999, f: 'x', x: null });
    payload.response_url = `${t.slack.origin}/respond/stale`;
    await t.sendInteraction(payload);
    const [answer] = await t.slack.waitFor('response_url');
    expect(String(answer!.params.text)).toContain('too old');
    expect(t.slack.callsTo('chat.update')).toEqual([]);
  });

  it('shows every fix privately in the thread on "More fixes"', async () => {
    await t.sendInteraction(clickOn(reply, ACTION_IDS.moreFixes));
    const [eph] = await t.slack.waitFor('chat.postEphemeral');
    expect(eph!.params).toMatchObject({ channel: CHANNEL, user: 'U0BOB0001', thread_ts: reply.params.thread_ts });
    const text = JSON.stringify(eph!.params.blocks);
    expect(text).toContain('joinedload(User.organization)');
    expect(text).toContain('selectinload(User.organization)');
  });

  it('diagnoses any message from the "Diagnose this error" shortcut, in its thread', async () => {
    const ts = nextTs();
    const payload = {
      type: 'message_action',
      callback_id: ACTION_IDS.diagnoseShortcut,
      trigger_id: 'trigger-2',
      team: { id: TEAM, domain: 'test' },
      user: { id: 'U0CAROL01', name: 'carol', team_id: TEAM },
      channel: { id: 'C0ALERTS1', name: 'alerts' },
      message: { type: 'message', subtype: 'bot_message', bot_id: 'BCI000001', ts, text: slackEscape(TRACE) },
      message_ts: ts,
      response_url: `${t.slack.origin}/respond/shortcut`,
      token: 'legacy',
      action_ts: ts,
    };
    const res = await t.sendInteraction(payload);
    expect(res.status).toBe(200);
    const [post] = await t.slack.waitFor('chat.postMessage');
    expect(post!.params).toMatchObject({ channel: 'C0ALERTS1', thread_ts: ts });
    expect(JSON.stringify(post!.params.blocks)).toContain('select(User).options(');

    // Where the bot is not a member, the answer goes to the person privately.
    t.slack.override('chat.postMessage', () => ({ ok: false, error: 'not_in_channel' }));
    const other = nextTs();
    await t.sendInteraction({ ...payload, channel: { id: 'C0NOTMEMB', name: 'elsewhere' }, message: { ...payload.message, ts: other }, message_ts: other });
    const [priv] = await t.slack.waitFor('response_url');
    expect(priv!.params.response_type).toBe('ephemeral');
    expect(JSON.stringify(priv!.params.blocks)).toContain('select(User).options(');
  });

  it('diagnoses the thread parent when mentioned in a thread', async () => {
    const parent = nextTs();
    t.slack.setThread('C0THREAD1', parent, [
      { type: 'message', user: 'U0ALICE01', ts: parent, text: slackEscape(TRACE) },
      { type: 'message', user: 'U0BOB0001', ts: nextTs(), text: 'same here on staging' },
    ]);
    const mention = nextTs();
    await t.sendEvent({ type: 'app_mention', channel: 'C0THREAD1', user: 'U0BOB0001', text: `<@${BOT_USER}> any idea?`, ts: mention, thread_ts: parent, event_ts: mention });
    const [post] = await t.slack.waitFor('chat.postMessage');
    expect(t.slack.callsTo('conversations.replies')[0]!.params).toMatchObject({ channel: 'C0THREAD1', ts: parent });
    expect(post!.params.thread_ts).toBe(parent);
    expect(JSON.stringify(post!.params.blocks)).toContain('select(User).options(');
    expect(t.slack.callsTo('reactions.add')[0]!.params).toMatchObject({ timestamp: parent, name: 'eyes' });
  });

  it('diagnoses the text after the mention, and says so honestly when it is unknown', async () => {
    const ts = nextTs();
    await t.sendEvent({ type: 'app_mention', channel: 'C0MENTION', user: 'U0BOB0001', text: `<@${BOT_USER}> FrobnicationError: the widget frobnicator jammed`, ts, event_ts: ts });
    const [post] = await t.slack.waitFor('chat.postMessage');
    expect(post!.params.thread_ts).toBe(ts);
    expect(String(post!.params.text)).toContain('No curated match');
    await t.settle();
    expect(t.slack.callsTo('reactions.add').map((c) => c.params.name)).toEqual(['eyes', 'grey_question']);
  });

  it('publishes App Home with this week\'s top faults and the viewer\'s recent diagnoses', async () => {
    await t.sendEvent({ type: 'app_home_opened', user: 'U0ALICE01', channel: 'D0HOME001', tab: 'home', event_ts: nextTs() });
    const [publish] = await t.slack.waitFor('views.publish');
    expect(publish!.params.user_id).toBe('U0ALICE01');
    const view = JSON.stringify(publish!.params.view);
    expect(view).toContain('"type":"home"');
    expect(view).toContain('sqlalchemy.missing-greenlet');
    expect(view).toContain('Your recent diagnoses');
    expect(view).toContain('faultline-test.slack.com/archives/C0PASTE01');
  });

  it('opens the paste modal from App Home and answers its submission in place', async () => {
    await t.sendInteraction({ type: 'block_actions', team: { id: TEAM, domain: 'test' }, user: { id: 'U0ALICE01', username: 'alice', team_id: TEAM }, api_app_id: 'A0TEST', token: 'legacy', trigger_id: 'trigger-3', container: { type: 'view', view_id: 'VHOME' }, response_url: '', actions: [{ type: 'button', action_id: ACTION_IDS.openDiagnoseModal, block_id: 'b', action_ts: '1' }] });
    const [open] = await t.slack.waitFor('views.open');
    expect((open!.params.view as { callback_id: string }).callback_id).toBe(ACTION_IDS.diagnoseModal);
    const res = await t.sendInteraction({
      type: 'view_submission',
      team: { id: TEAM, domain: 'test' },
      user: { id: 'U0ALICE01', username: 'alice', team_id: TEAM },
      api_app_id: 'A0TEST',
      token: 'legacy',
      trigger_id: 'trigger-4',
      view: { id: 'VMODAL', type: 'modal', callback_id: ACTION_IDS.diagnoseModal, state: { values: { [ACTION_IDS.diagnoseModalBlock]: { [ACTION_IDS.diagnoseModalInput]: { type: 'plain_text_input', value: TRACE } } } }, hash: 'h', private_metadata: '' },
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { response_action: string; view: { blocks: unknown[] } };
    expect(body.response_action).toBe('update');
    expect(JSON.stringify(body.view.blocks)).toContain('select(User).options(');
  });
});
