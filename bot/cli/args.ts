import { parseArgs } from 'node:util';
import { UsageError, type CliOption } from './command.js';

/** Levenshtein distance, for "did you mean" hints on short names (flags, commands). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/** The known name closest to `wanted`, if it is close enough to be a typo (`jsn` -> `json`). */
export function closest(wanted: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(wanted.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(Math.max(wanted.length, best.length) / 3)) ? best : null;
}

const HELP: CliOption = { type: 'boolean', short: 'h', description: 'show this help' };

export function withHelp(options: Record<string, CliOption>): Record<string, CliOption> {
  return { ...options, help: HELP };
}

function flagName(name: string, option: CliOption | undefined): string {
  return option?.short ? `-${option.short}, --${name}` : `--${name}`;
}

/**
 * Parses one command's arguments with `node:util` parseArgs in strict mode. On a mistake it
 * throws a UsageError naming the flag, with a "did you mean" hint for a near miss.
 */
export function parseCommandArgs(argv: string[], options: Record<string, CliOption>, usage: string): { args: string[]; flags: Record<string, string | boolean> } {
  const all = withHelp(options);
  const config = Object.fromEntries(Object.entries(all).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]));
  try {
    const { values, positionals } = parseArgs({ args: argv, options: config, strict: true, allowPositionals: true });
    return { args: positionals, flags: values as Record<string, string | boolean> };
  } catch (err) {
    if (!(err instanceof TypeError) || !('code' in err) || !String(err.code).startsWith('ERR_PARSE_ARGS')) throw err;
    throw new UsageError(describeMistake(argv, all, usage));
  }
}

/** Says what was wrong, from parseArgs' tokens (its own messages name no alternatives). */
function describeMistake(argv: string[], options: Record<string, CliOption>, usage: string): string {
  const { tokens } = parseArgs({ args: argv, options: {}, strict: false, allowPositionals: true, tokens: true });
  const byShort = new Map(Object.entries(options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind !== 'option') continue;
    const name = t.rawName.startsWith('--') ? t.name : (byShort.get(t.name) ?? null);
    const option = name ? options[name] : undefined;
    if (!name || !option) {
      const hint = t.rawName.startsWith('--') ? closest(t.name, Object.keys(options)) : null;
      return `unknown option '${t.rawName}'${hint ? `; did you mean --${hint}?` : ''} (${usage}; --help lists the options).`;
    }
    if (option.type === 'boolean' && t.value !== undefined) return `${flagName(name, option)} takes no value (${usage}).`;
    if (option.type === 'string' && t.value === undefined) {
      // `--lang en` arrives as an option without a value followed by a positional.
      const next = tokens[i + 1];
      if (next?.kind === 'positional' && !t.inlineValue) continue;
      return `${flagName(name, option)} needs a value${option.value ? ` (${option.value})` : ''} (${usage}).`;
    }
  }
  return `cannot read the arguments (${usage}; --help lists the options).`;
}

/** `--help` for one command: what it does, its usage and every option. */
export function commandHelp(summary: string, usage: string, options: Record<string, CliOption>): string {
  const rows = Object.entries(withHelp(options)).map(([name, o]) => [`${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`, o.description] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [summary, '', `Usage: ${usage}`, '', 'Options:', ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`), ''].join('\n');
}
