// Colours for people at a terminal; none for pipes, NO_COLOR or --no-color (chalk alone
// ignores NO_COLOR). FORCE_COLOR turns them on anywhere.
import { Chalk } from 'chalk';

export interface Palette {
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  magenta: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

export function colorWanted(flag: boolean | undefined, env = process.env, isTTY = !!process.stdout.isTTY): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY;
}

export function palette(enabled: boolean): Palette {
  const c = new Chalk({ level: enabled ? 1 : 0 });
  return { red: c.red, green: c.green, yellow: c.yellow, magenta: c.magenta, bold: c.bold, dim: c.dim };
}

/** The palette a command's --no-color (and the environment) asks for. */
export function paletteFor(o: { color?: boolean }): Palette {
  return palette(colorWanted(o.color));
}
