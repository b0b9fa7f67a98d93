import { isEntryPoint } from '../entry-point.js';
import { defaultRedactionDir } from '../redact/redact.js';
import { defaultRuleSnapshotPath, writeRuleSnapshot } from '../redact/rule-files.js';
import { defaultSnapshotPath, writeKnowledgeSnapshot } from './snapshot.js';
import { defaultWarmUpPath, writeWarmUpPastes } from './warm-up.js';

// `npm run build` runs this after tsc: dist/knowledge-snapshot.json for fast CLI start-up, and
// dist/warm-up-pastes.json for the bot's warm-up (kb/warm-up.ts).
if (isEntryPoint(import.meta.url)) {
  const { files, skipped, faults } = await writeKnowledgeSnapshot();
  const pastes = writeWarmUpPastes(faults);
  const ruleFiles = writeRuleSnapshot(defaultRedactionDir());
  process.stdout.write(`redaction snapshot: ${ruleFiles} rule files -> ${defaultRuleSnapshotPath()}\n`);
  process.stdout.write(`warm-up pastes: ${pastes} (one example per fault) -> ${defaultWarmUpPath()}\n`);
  process.stdout.write(`knowledge snapshot: ${files} fault files${skipped ? ` (${skipped} with problems left out; run faultline knowledge check)` : ''} -> ${defaultSnapshotPath()}\n`);
}
