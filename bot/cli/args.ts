import { parseArgs } from 'node:util';
import { UsageError, type CliOption } from './command.js';

/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string alignment):
 * `--snice` is one slip from `--since`, as people type it.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => (d[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
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
