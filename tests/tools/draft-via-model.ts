/**
 * The curation loop, end to end, for a paste the catalogue does not know:
 *
 *   npx tsx tests/tools/draft-via-model.ts PASTE_FILE ANSWER_JSON OUT_YAML
 *
 * It serves ANSWER_JSON (the model's answer, in the shape of bot/ai/answer-schema.ts) from an
 * OpenAI-compatible server on loopback, runs `faultline diagnose --record` on the paste against a
 * throwaway store (so the paste is redacted, sent to "the model", cached and recorded with method
 * `ai` exactly as in production), then `faultline knowledge draft FINGERPRINT --out OUT_YAML`.
 * No model server is reachable from this project's machines, so the answer is written by whoever
 * curates (a person or an agent) and handed to the product as a model's would be; the draft and
 * the review that follows are the product's own. Needs `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [paste, answerFile, out] = process.argv.slice(2);
if (!paste || !answerFile || !out) {
  process.stderr.write('usage: npx tsx tests/tools/draft-via-model.ts PASTE_FILE ANSWER_JSON OUT_YAML\n');
  process.exit(2);
}
const answer = readFileSync(answerFile, 'utf8');
JSON.parse(answer);
const cli = resolve('dist/bot/cli/main.js');

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = {
      id: 'chatcmpl-curator',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'curator',
      choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address() as AddressInfo;
const dir = mkdtempSync(join(tmpdir(), 'faultline-draft-'));
const env = { ...process.env, FAULTLINE_DB: join(dir, 'faultline.db'), OPENAI_API_KEY: 'sk-curator-local', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, FAULTLINE_LLM_MODEL: 'curator' };
try {
  const run = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    // Asynchronous: the loopback model answers from this same process.
    execFile(process.execPath, [cli, ...args], { env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
  const diagnosed = await run(['diagnose', paste, '--record', '--json']);
  const doc = JSON.parse(diagnosed.stdout) as { fingerprint?: string; aiOutcome?: string; match?: unknown };
  if (!doc.fingerprint || !['answered', 'cached'].includes(String(doc.aiOutcome))) {
    process.stderr.write(`the paste was not answered by the model (aiOutcome ${doc.aiOutcome}); is it already in the catalogue?\n${diagnosed.stderr}`);
    process.exitCode = 1;
  } else {
    const drafted = await run(['knowledge', 'draft', doc.fingerprint, '--out', out, '--force']);
    process.stdout.write(drafted.stdout);
    process.stderr.write(drafted.stderr);
    process.exitCode = drafted.code ?? 1;
  }
} finally {
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
