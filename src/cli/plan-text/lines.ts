// The lines of a rendered plan: a sign (+ - ~ or none), a nesting depth and the text, painted
// and folded only at the end, so that the diffing code deals in plain data.
import type { Palette } from '../palette.js';

export type Sign = '+' | '-' | '~' | ' ';

export interface Line {
  sign: Sign;
  depth: number;
  text: string;
  /** A trailing comment, e.g. `forces replacement`. */
  note?: string;
  /** Shown dim: what was left out (`# (3 unchanged attributes hidden)`). */
  quiet?: boolean;
}

const COLOR: Record<Sign, keyof Palette | undefined> = { '+': 'green', '-': 'red', '~': 'yellow', ' ': undefined };

/**
 * Break a long text into pieces no wider than `room`, after a blank or a comma where there is
 * one. Every piece but the last ends in ` \`, so that a folded line never reads as two lines of
 * the value (and never as the other side of a change, which a cut at a fixed width did).
 */
export function fold(text: string, room: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  const max = Math.max(20, room - 2);
  while (rest.length > room) {
    let cut = Math.max(rest.lastIndexOf(' ', max), rest.lastIndexOf(',', max - 1) + 1);
    if (cut < max / 2) cut = max;
    pieces.push(rest.slice(0, cut).trimEnd() + ' \\');
    rest = rest.slice(cut).trimStart();
  }
  pieces.push(rest);
  return pieces;
}

/** Each line as text: `indent` spaces, then 4 per depth, the sign, the text folded to `width`. */
export function paint(lines: Line[], c: Palette, indent: number, width: number): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const pad = ' '.repeat(indent + 4 * l.depth);
    const color = COLOR[l.sign];
    const sign = color ? c[color](l.sign) : l.sign;
    const text = l.note ? `${l.text}  # ${l.note}` : l.text;
    const pieces = fold(text, width - pad.length - 6);
    // Continuations sit deeper than the line's own indentation (a ruleset's, an xl.cfg's).
    const deeper = ' '.repeat((/^ */.exec(text)?.[0].length ?? 0) + 4);
    pieces.forEach((p, i) => {
      const body = i === 0 ? p : deeper + p;
      out.push(`${pad}${sign} ${l.quiet ? c.dim(body) : body}`);
    });
  }
  return out;
}
