import type { CliCommandSpec, CliOption } from '../command.js';

const json: CliOption = { type: 'boolean', description: 'print one JSON document (schemas in schemas/)' };
const lang: CliOption = { type: 'string', value: 'en|ja', description: 'answer language (default: FAULTLINE_LANG, else en)' };

/**
 * Every CLI command, in the order `faultline help` lists them. Only the names, options and help
 * live here; each command's code is imported when it runs (see CliCommandSpec).
 */
export const commands: CliCommandSpec[] = [
  {
    name: 'diagnose',
    summary: 'Diagnose an error or traceback from FILE or standard input',
    usage: 'faultline diagnose [FILE|-] [--json] [--lang en|ja] [--no-ai] [--record]',
    options: {
      json,
      lang,
      'no-ai': { type: 'boolean', description: 'never ask the LLM fallback, even when OPENAI_API_KEY is set' },
      record: { type: 'boolean', description: 'keep the occurrence in FAULTLINE_DB like the bot does (redacted)' },
    },
    load: async () => (await import('./diagnose.js')).command,
  },
  {
    name: 'search',
    summary: 'Search the catalogue by words (exception names, API names, topics)',
    usage: 'faultline search WORDS... [--lang en|ja] [--json]',
    options: { json, lang },
    load: async () => (await import('./search.js')).command,
  },
  {
    name: 'show',
    summary: 'Show a fault by id or library error code (e.g. sqlalchemy.missing-greenlet, xd2s)',
    usage: 'faultline show ID|CODE [--lang en|ja] [--json]',
    options: { json, lang },
    load: async () => (await import('./show.js')).command,
  },
  {
    name: 'knowledge',
    summary: 'Validate the fault catalogue (check), or draft a fault from a cached AI answer (draft)',
    usage: 'faultline knowledge check [--only ID] [--dir DIR] [--deep] [--lab-strict] [--bar] | faultline knowledge draft FINGERPRINT [--out FILE|-] [--force] [--dir DIR]',
    options: {
      only: { type: 'string', value: 'ID', description: 'check: one fault only (sqlalchemy.missing-greenlet)' },
      dir: { type: 'string', value: 'DIR', description: 'the knowledge folder (default: the bundled knowledge/)' },
      deep: { type: 'boolean', description: 'check: also prove every regex free of backtracking blow-ups (recheck, a dev dependency; slow)' },
      'lab-strict': { type: 'boolean', description: 'check: every fix shown must be verified by the lab in some world, or say why not (unverified)' },
      bar: { type: 'boolean', description: 'check: every fault must have at least 3 real-world examples with their source and at least 1 counterexample' },
      out: { type: 'string', value: 'FILE|-', description: 'draft: where to write (default knowledge/drafts/<library>/<slug>.yaml)' },
      force: { type: 'boolean', description: 'draft: replace an existing file' },
    },
    load: async () => (await import('./knowledge.js')).command,
  },
  {
    name: 'eval',
    summary: 'Measure accuracy on the labelled corpus, every fault example and every lab trace',
    usage: 'faultline eval [--corpus DIR] [--json]',
    options: { json, corpus: { type: 'string', value: 'DIR', description: 'folder of *.jsonl cases (default tests/corpus)' } },
    load: async () => (await import('./eval.js')).command,
  },
  {
    name: 'digest',
    summary: 'Show what recurred in the recorded diagnoses (default: the last 7 days)',
    usage: 'faultline digest [--since 7d] [--json] [--workspace T0123ABCD] [--lang en|ja]',
    options: {
      since: { type: 'string', value: '7d|36h|2w', description: 'length of the period ending now (default 7d)' },
      json,
      workspace: { type: 'string', value: 'TEAM_ID', description: 'one Slack workspace only' },
      lang,
    },
    load: async () => (await import('./digest.js')).command,
  },
  {
    name: 'backup',
    summary: 'Copy the live database to FILE, consistently, while the bot keeps writing',
    usage: 'faultline backup FILE [--force]',
    options: { force: { type: 'boolean', description: 'overwrite FILE if it exists' } },
    load: async () => (await import('./backup.js')).command,
  },
  {
    name: 'serve',
    summary: 'Run the Slack bot (HTTP on PORT, or Socket Mode when SLACK_APP_TOKEN is set)',
    usage: 'faultline serve [--check]',
    options: { check: { type: 'boolean', description: 'validate the settings only, start nothing' } },
    load: async () => (await import('./serve.js')).command,
  },
];
