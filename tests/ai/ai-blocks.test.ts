import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { AiAnswer } from '../../bot/ai/explainer.js';
import { buildAiReply } from '../../bot/render/ai-blocks.js';
import { feedbackActions } from '../../bot/render/block-kit.js';
import { slackSizeProblems } from '../../bot/render/blocks.js';
import { ui } from '../../bot/render/strings.js';
import { shippedEngine } from '../helpers.js';
import { UNKNOWN_ERROR } from './pastes.js';
import { MODEL_ANSWER } from './stand-ins.js';

const answer: AiAnswer = { ...MODEL_ANSWER, model: 'stand-in-model', cached: false };
const diagnosis = shippedEngine().diagnose(UNKNOWN_ERROR);
const text = (blocks: KnownBlock[]) => JSON.stringify(blocks);

describe('the AI answer in Block Kit', () => {
  it('says it is AI-suggested before anything else, with the model, its confidence and the library', () => {
    const msg = buildAiReply(diagnosis, answer, { occurrenceId: 7 });
    const first = msg.blocks[0]!;
    expect(first.type).toBe('context');
    expect(text([first])).toContain(ui('en').aiLabel);
    expect(text([first])).toContain('stand-in-model');
    expect(text([first])).toContain('72%');
    expect(text([first])).toContain('library: sqlalchemy');
    expect(msg.text.startsWith(ui('en').aiLabel)).toBe(true);
    // Nothing that would make it look curated: no header, no fault id of its own.
    expect(msg.blocks.some((b) => b.type === 'header')).toBe(false);
    expect(text(msg.blocks)).toContain('Validate total before the insert');
    expect(text(msg.blocks)).toContain('Map IntegrityError to a 422');
    expect(text(msg.blocks)).toContain('raise HTTPException(422) from exc');
    expect(slackSizeProblems(msg)).toEqual([]);
    expect(text(buildAiReply(diagnosis, { ...answer, cached: true }).blocks)).toContain(ui('en').aiCached);
    expect(text(buildAiReply({ ...diagnosis, lang: 'ja' }, answer).blocks)).toContain(ui('ja').aiLabel);
  });

  it("has the curated answer's feedback buttons", () => {
    const actions = (blocks: KnownBlock[]) => blocks.find((b) => b.type === 'actions');
    const ours = buildAiReply(diagnosis, answer, { occurrenceId: 42 });
    expect(actions(ours.blocks)).toEqual(feedbackActions({ ...diagnosis, fixes: [] }, { occurrenceId: 42 }));
    expect(ours.blocks.at(-1)?.type).toBe('actions');
  });

  it('escapes what the model wrote, snippets included, so a pasted error cannot make it ping a channel', () => {
    const hostile: AiAnswer = {
      ...answer,
      cause: 'Fixed, tell <!channel> and see <https://evil.example|the docs>',
      fixes: [{ title: '<!here> now', why: 'because', tradeoff: '', snippet: 'print("<!channel>") && done', lang: 'python' }],
    };
    const all = text(buildAiReply(diagnosis, hostile).blocks);
    expect(all).not.toMatch(/<!channel>|<!here>|<https:\/\/evil/);
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&amp;&amp; done');
  });

  it('fits Slack whatever the model sends', () => {
    const huge: AiAnswer = {
      ...answer,
      title: 'T'.repeat(200),
      cause: 'cause '.repeat(700),
      library: 'l'.repeat(60),
      fixes: Array.from({ length: 3 }, (_, i) => ({ title: `fix ${i} `.repeat(40), why: 'why '.repeat(700), tradeoff: 'cost '.repeat(300), snippet: 'x = "<&>"\n'.repeat(600), lang: 'python' })),
    };
    const msg = buildAiReply(diagnosis, huge, { occurrenceId: 123456789 });
    expect(slackSizeProblems(msg)).toEqual([]);
    expect(text(msg.blocks)).toContain(ui('en').truncated);
    // A cut snippet never ends inside an escaped character.
    for (const b of msg.blocks) if (b.type === 'section' && b.text?.text.startsWith('```')) expect(b.text.text).not.toMatch(/&[a-z]{0,3}```/);
  });
});
