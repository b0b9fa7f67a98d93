import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run.js';
import { ui } from '../../bot/render/strings.js';
import { faultExample } from '../helpers.js';
import { useTempDir } from '../store/helpers.js';
import { HOST, UNKNOWN_ERROR, leakedSecrets } from './pastes.js';
import { startFakeOpenAi, useStandIns, type FakeOpenAi } from './stand-ins.js';

const t = ui('en');

describe('faultline diagnose with the LLM fallback', () => {
  const tempDir = useTempDir();
  const standIn = useStandIns();

  const run = (args: string[], env: NodeJS.ProcessEnv, cwd: string) => cli(args, '', env, cwd);

  const setup = async () => {
    const dir = tempDir();
    const server: FakeOpenAi = standIn(await startFakeOpenAi());
    const file = join(dir, 'unknown.txt');
    writeFileSync(file, UNKNOWN_ERROR);
    const env: NodeJS.ProcessEnv = {
      OPENAI_API_KEY: 'sk-test-standin-key',
      OPENAI_BASE_URL: `${server.url}/v1`,
      FAULTLINE_LLM_MODEL: 'stand-in-model',
      FAULTLINE_LLM_TIMEOUT_MS: '1500',
      FAULTLINE_DB: join(dir, 'faultline.db'),
    };
    return { dir, server, file, env };
  };

  it('prints the AI answer under the no-match text, labelled, and then serves it from the cache', async () => {
    const { dir, server, file, env } = await setup();
    const first = await run(['diagnose', file], env, dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(t.noMatch);
    expect(first.stdout).toContain(`[AI] ${t.aiLabel}`);
    expect(first.stdout.indexOf(t.noMatch)).toBeLessThan(first.stdout.indexOf(t.aiLabel));
    expect(first.stdout).toContain(`The database at ${HOST} refused the row`);
    expect(first.stdout).toContain('1. Validate total before the insert');
    expect(first.stdout).toContain('stand-in-model');
    expect(first.stdout).toMatch(/faultline knowledge draft v1:[0-9a-f]{16}/);
    expect(leakedSecrets(server.requests[0]!.body)).toEqual([]);

    const again = await run(['diagnose', file, '--json'], env, dir);
    expect(again.code).toBe(0);
    const json = JSON.parse(again.stdout) as { match: unknown; ai: Record<string, unknown>; aiOutcome: string };
    expect(json.match).toBeNull();
    expect(json.ai).toMatchObject({ label: t.aiLabel, curated: false, model: 'stand-in-model', cached: true, library: 'sqlalchemy' });
    expect(json.ai.cause).toContain(HOST);
    expect((json.ai.fixes as { title: string }[])[0]?.title).toBe('Validate total before the insert');
    expect(json.aiOutcome).toBe('cached');
    expect(server.requests).toHaveLength(1);
  });

  it('never asks the model about a confident curated match', async () => {
    const { dir, server, env } = await setup();
    const file = join(dir, 'known.txt');
    writeFileSync(file, faultExample('sqlalchemy/missing-greenlet.yaml', 'pytest failure, the seed case (result resolved through select(User))'));
    const r = await run(['diagnose', file, '--json'], env, dir);
    const json = JSON.parse(r.stdout) as { match: { id: string }; ai: unknown; aiOutcome: unknown };
    expect(json.match.id).toBe('sqlalchemy.missing-greenlet');
    expect(json.ai).toBeNull();
    expect(json.aiOutcome).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it('says how to switch the fallback on when no key is set', async () => {
    const { dir, server, file, env } = await setup();
    const r = await run(['diagnose', file], { ...env, OPENAI_API_KEY: '' }, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(t.noMatch);
    expect(r.stdout).toContain(t.aiOff);
    expect(r.stdout).not.toContain(t.aiLabel);
    expect(server.requests).toHaveLength(0);
  });

  it('still answers, with the reason, when the server fails or never answers', async () => {
    const { dir, server, file, env } = await setup();
    server.script({ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    const failed = await run(['diagnose', file], env, dir);
    expect(failed.code).toBe(0);
    expect(failed.stdout).toContain(t.noMatch);
    expect(failed.stdout).toContain(t.aiNoAnswer.failed);

    server.script({ kind: 'hang' });
    const slow = await run(['diagnose', file, '--json'], env, dir);
    expect(slow.code).toBe(0);
    expect(JSON.parse(slow.stdout)).toMatchObject({ match: null, ai: null, aiOutcome: 'timeout' });
  });

  it('skips the model with --no-ai, and reports a broken setting without failing the diagnosis', async () => {
    const { dir, server, file, env } = await setup();
    const skipped = await run(['diagnose', file, '--no-ai'], env, dir);
    expect(skipped.stdout).toContain(t.noMatch);
    expect(skipped.stdout).not.toContain(t.aiOff);

    const broken = await run(['diagnose', file], { ...env, OPENAI_BASE_URL: 'not a url' }, dir);
    expect(broken.code).toBe(0);
    expect(broken.stdout).toContain(t.noMatch);
    expect(broken.stderr).toContain('OPENAI_BASE_URL must be an http(s) URL');
    expect(server.requests).toHaveLength(0);
  });
});
