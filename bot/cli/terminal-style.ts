import type { CliContext } from './command.js';

export interface CliTerminalStyle {
  color: boolean;
  width: number;
}

/**
 * How to print for this output: width from the terminal (`stdout.columns`), else `COLUMNS`,
 * else 80 (piped); colour per https://no-color.org (`NO_COLOR` set and non-empty: none) and
 * `FORCE_COLOR` (set, not `0`/`false`: colour even when piped; it wins over NO_COLOR, as in
 * Node.js itself), else only on a terminal.
 */
export function terminalStyle(stdout: CliContext['stdout'], env: NodeJS.ProcessEnv): CliTerminalStyle {
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  const width = stdout.isTTY && stdout.columns && stdout.columns > 0 ? stdout.columns : Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 80;
  const force = env.FORCE_COLOR;
  const color = force !== undefined && force !== '' ? force !== '0' && force.toLowerCase() !== 'false' : env.NO_COLOR ? false : Boolean(stdout.isTTY);
  return { color, width: Math.min(width, 500) };
}
