import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError, KNOWN_SETTINGS, loadConfig } from '../../bot/config.js';
import { ACTION_IDS } from '../../bot/render/slack-limits.js';

const VALID = {
  SLACK_BOT_TOKEN: 'xoxb-000-000-faketoken',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { cwd: '/srv/faultline' });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('fills every default', () => {
    const c = loadConfig(VALID, { cwd: '/srv/faultline' });
    expect(c.slack).toEqual({ botToken: VALID.SLACK_BOT_TOKEN, signingSecret: VALID.SLACK_SIGNING_SECRET, appToken: null, socketMode: false, apiUrl: null, port: 3000 });
    expect(c.store).toMatchObject({ dbPath: '/srv/faultline/data/faultline.db', retentionDays: 90, userKey: null, userKeyFile: null, storeRawUserIds: false });
    expect(c).toMatchObject({ lang: 'en', timeZone: 'UTC', maxFileBytes: 1024 * 1024, digest: { channel: null, cron: '0 9 * * 1' } });
    expect(c.llm).toMatchObject({ apiKey: null, baseUrl: null, timeoutMs: 20_000 });
    expect(c.warnings).toEqual([]);
  });

  it('reports every missing Slack setting at once, with where to find it', () => {
    const p = problems({});
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/^SLACK_BOT_TOKEN is missing: .*OAuth & Permissions/);
    expect(p[1]).toBe('SLACK_SIGNING_SECRET is missing: find it under Basic Information > App Credentials > Signing Secret.');
  });

  it('treats malformed tokens and values as errors, not silent defaults, and never echoes a secret', () => {
    const p = problems({
      SLACK_BOT_TOKEN: 'xoxp-1234-user-token-secretpart',
      SLACK_SIGNING_SECRET: 'has spaces in it',
      SLACK_APP_TOKEN: 'xoxb-wrong-kind',
      SLACK_API_URL: 'slack.example',
      PORT: 'eighty',
      FAULTLINE_LANG: 'fr',
      FAULTLINE_TZ: 'Mars/Olympus',
      FAULTLINE_DIGEST_CRON: '0 25 * * *',
      FAULTLINE_DIGEST_CHANNEL: '#general',
      FAULTLINE_RETENTION_DAYS: '-3',
      FAULTLINE_MAX_FILE_BYTES: 'lots',
      FAULTLINE_LLM_TIMEOUT_MS: '5s',
      OPENAI_BASE_URL: 'localhost:11434',
    });
    const names = p.map((x) => x.split(/\s/)[0]);
    expect(names).toEqual(
      expect.arrayContaining(['FAULTLINE_RETENTION_DAYS', 'FAULTLINE_LANG', 'FAULTLINE_TZ', 'FAULTLINE_DIGEST_CHANNEL', 'FAULTLINE_DIGEST_CRON', 'FAULTLINE_MAX_FILE_BYTES', 'OPENAI_BASE_URL', 'FAULTLINE_LLM_TIMEOUT_MS', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_API_URL', 'PORT']),
    );
    expect(p).toHaveLength(13);
    expect(p.join('\n')).not.toContain('secretpart');
    expect(p.find((x) => x.startsWith('SLACK_BOT_TOKEN'))).toContain("starts with 'xoxp-...'");
  });

  it('uses Socket Mode when an app token is set, where the signing secret is optional', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: VALID.SLACK_BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-A0-0-abc' });
    expect(c.slack).toMatchObject({ socketMode: true, appToken: 'xapp-1-A0-0-abc', signingSecret: '' });
  });

  it('normalises the Web API URL and reads the rest', () => {
    const c = loadConfig({ ...VALID, SLACK_API_URL: 'http://127.0.0.1:9999/api', PORT: '0', FAULTLINE_LANG: 'ja-JP', FAULTLINE_TZ: 'Asia/Tokyo', FAULTLINE_DIGEST_CHANNEL: 'C0123ABCD', FAULTLINE_DIGEST_CRON: '30 8 * * 5', OPENAI_API_KEY: 'sk-test', FAULTLINE_LLM_DAILY_BUDGET: '0' });
    expect(c.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(c).toMatchObject({ lang: 'ja', timeZone: 'Asia/Tokyo', digest: { channel: 'C0123ABCD', cron: '30 8 * * 5' }, llm: { apiKey: 'sk-test', dailyBudget: 0 } });
    expect(c.slack.port).toBe(0);
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ ...VALID, SLACK_APP_TOKEN: '', PORT: ' ' }).slack).toMatchObject({ socketMode: false, port: 3000 });
  });

  it('warns about unknown FAULTLINE_ settings, suggesting the one meant', () => {
    const c = loadConfig({ ...VALID, FAULTLINE_DIGEST_CHANEL: 'C0123ABCD' });
    expect(c.warnings).toEqual(['FAULTLINE_DIGEST_CHANEL is not a Faultline setting and is ignored; did you mean FAULTLINE_DIGEST_CHANNEL?']);
  });

  it('lets CLI commands load without any Slack setting', () => {
    const c = loadConfig({ FAULTLINE_DB: '/tmp/x.db' }, { slack: false });
    expect(c.store.dbPath).toBe('/tmp/x.db');
    expect('slack' in c).toBe(false);
  });
});

describe('deploy files stay in step with the code', () => {
  const root = join(import.meta.dirname, '..', '..');

  it('.env.example documents every setting loadConfig reads, and nothing else', () => {
    const documented = readFileSync(join(root, 'deploy', '.env.example'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.slice(0, l.indexOf('=')))
      .sort();
    expect(documented).toEqual(KNOWN_SETTINGS.filter((s) => s !== 'FAULTLINE_BENCH_QUICK').sort());
  });

  it('.env.example loads in a shell (set -a; . file), and serve --check accepts its defaults once the credentials are added', () => {
    // The `faultline` executable (package.json bin): the bundled CLI.
    const bin = join(root, 'dist', 'bot', 'cli', 'faultline.cjs');
    const run = (extra: string) =>
      spawnSync('bash', ['-c', `set -euo pipefail; set -a; . deploy/.env.example; ${extra} set +a; node -e 'process.stdout.write(JSON.stringify(process.env))' && "${process.execPath}" "${bin}" serve --check`], {
        cwd: root,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
    const bare = run('');
    const loaded = JSON.parse(bare.stdout.slice(0, bare.stdout.indexOf('}') + 1)) as Record<string, string>;
    expect(loaded.FAULTLINE_DIGEST_CRON).toBe('0 9 * * 1');
    for (const name of KNOWN_SETTINGS.filter((s) => s !== 'FAULTLINE_BENCH_QUICK')) expect(loaded, name).toHaveProperty(name);
    // Without credentials only the two Slack secrets are missing: every default is valid.
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/^Faultline cannot start: 2 setting problem\(s\):\n/);
    expect(bare.stderr.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.split(' ')[3])).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    const ok = run(`SLACK_BOT_TOKEN=xoxb-000-000-faketoken; SLACK_SIGNING_SECRET=${VALID.SLACK_SIGNING_SECRET};`);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Configuration OK: HTTP on port 3000, database .*data\/faultline\.db\.\n$/);
  });

  it('the manifest declares the slash command, shortcut and events the listeners handle', () => {
    const manifest = parseYaml(readFileSync(join(root, 'deploy', 'manifest.yaml'), 'utf8')) as {
      features: { slash_commands: { command: string }[]; shortcuts: { callback_id: string; type: string }[] };
      settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
    };
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([ACTION_IDS.slashCommand]);
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ callback_id: ACTION_IDS.diagnoseShortcut, type: 'message' })]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['app_mention', 'app_home_opened', 'message.channels']));
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
