// Colours for people at a terminal; none for pipes, NO_COLOR or --no-color. FORCE_COLOR turns
// them on anywhere. Six basic SGR styles are all tvd uses, so they are written here (as chalk
// writes them at its level 1), where loading chalk cost every command about 6 ms.

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

/**
 * One style. Inside, a closing code of the same kind (a nested style ended) opens this style
 * again, and a line break closes and reopens it, so that no style bleeds past its text or stops
 * short in it.
 */
function style(open: number, close: number): (s: string) => string {
  const [o, c] = [`\x1b[${open}m`, `\x1b[${close}m`];
  return (s) => {
    if (!s) return s;
    let t = s.includes('\x1b') ? s.split(c).join(c + o) : s;
    if (t.includes('\n')) t = t.replace(/\r?\n/g, (lf) => c + lf + o);
    return o + t + c;
  };
}

const PLAIN = (s: string) => s;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { red: PLAIN, green: PLAIN, yellow: PLAIN, magenta: PLAIN, bold: PLAIN, dim: PLAIN };
  return { red: style(31, 39), green: style(32, 39), yellow: style(33, 39), magenta: style(35, 39), bold: style(1, 22), dim: style(2, 22) };
}

/** The palette a command's --no-color (and the environment) asks for. */
export function paletteFor(o: { color?: boolean }): Palette {
  return palette(colorWanted(o.color));
}
