import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { redact } from '../../bot/redact/redact.js';
import { findLeaks, loadPlanted } from './corpus/leaks.js';

/**
 * The maintained scanner as the yardstick: secretlint's recommended preset runs over every
 * planted paste before and after our redaction. Whatever it finds in a raw paste must be gone
 * after redaction, and it must find nothing in what we let through. (It runs here, not on the
 * hot path: it is async and costs milliseconds per paste; see README, "Redaction".)
 */
const corpus = loadPlanted();

async function secretlintFindings(content: string): Promise<string[]> {
  const result = await lintSource({
    source: { filePath: '/paste.txt', content, ext: '.txt', contentType: 'text' },
    options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] }, noPhysicFilePath: true },
  });
  return result.messages.map((m) => content.slice(m.range[0], m.range[1]));
}

describe("secretlint's recommended preset on the planted corpus", () => {
  it('finds nothing we let through, and everything it finds in the raw pastes is gone', async () => {
    let foundRaw = 0;
    const planted = new Set<string>();
    const survivors: string[] = [];
    const afterUs: string[] = [];
    for (const c of corpus) {
      const raw = await secretlintFindings(c.text);
      foundRaw += raw.length;
      for (const s of c.secrets) if (raw.some((f) => f.includes(s.value) || s.value.includes(f))) planted.add(s.value);
      const { text } = redact(c.text);
      for (const f of raw) if (text.includes(f)) survivors.push(`${c.id}: ${f}`);
      // Its basic-auth rule takes `user:<redacted>@host` for a credential: the marker is ours.
      for (const f of await secretlintFindings(text)) if (!f.includes('<redacted')) afterUs.push(`${c.id}: ${f}`);
    }
    expect(foundRaw, 'secretlint finds secrets in the raw pastes').toBeGreaterThan(50);
    expect(survivors).toEqual([]);
    expect(afterUs).toEqual([]);
    // For the record: how much of the planted set the scanner alone would have caught.
    const all = corpus.flatMap((c) => c.secrets);
    console.log(`secretlint (recommended preset) flags ${planted.size} of ${all.length} planted secrets; Faultline's rules leave ${corpus.flatMap((c) => findLeaks(redact(c.text).text, c.secrets)).length}`);
    expect(planted.size).toBeLessThan(all.length);
  }, 120_000);
});
