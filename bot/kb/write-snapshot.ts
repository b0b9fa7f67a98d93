import { isEntryPoint } from '../entry-point.js';
import { defaultRedactionDir } from '../redact/redact.js';
import { defaultRuleSnapshotPath, writeRuleSnapshot } from '../redact/rule-files.js';
import { defaultSnapshotPath, writeKnowledgeSnapshot } from './snapshot.js';

// `npm run build` runs this after tsc: dist/knowledge-snapshot.json for fast CLI start-up.
if (isEntryPoint(import.meta.url)) {
  const { files, skipped } = await writeKnowledgeSnapshot();
  const ruleFiles = writeRuleSnapshot(defaultRedactionDir());
  process.stdout.write(`redaction snapshot: ${ruleFiles} rule files -> ${defaultRuleSnapshotPath()}\n`);
  process.stdout.write(`knowledge snapshot: ${files} fault files${skipped ? ` (${skipped} with problems left out; run faultline knowledge check)` : ''} -> ${defaultSnapshotPath()}\n`);
}
