import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isEntryPoint } from '../entry-point.js';
import { packageRoot } from '../kb/files.js';
import { jsonOutputSchemas, jsonSchemaText, type JsonOutputCommand } from './json-schemas.js';

/** `npm run schemas`: rewrites schemas/<command>.schema.json from bot/render/json-schemas.ts. */
if (isEntryPoint(import.meta.url)) {
  const dir = join(packageRoot(), 'schemas');
  mkdirSync(dir, { recursive: true });
  for (const command of Object.keys(jsonOutputSchemas) as JsonOutputCommand[]) {
    writeFileSync(join(dir, `${command}.schema.json`), jsonSchemaText(command));
    process.stdout.write(`wrote schemas/${command}.schema.json\n`);
  }
}
