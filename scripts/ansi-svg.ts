// Turns a terminal capture with SGR colour codes (`tmux capture-pane -p -e`) into an SVG that
// looks like the terminal: monospace text on a dark background. Pure.
const FG: Record<number, string> = {
  30: '#3b3b3b',
  31: '#f0605a',
  32: '#6ccb6c',
  33: '#e5c55a',
  34: '#6aa5f0',
  35: '#d38ae0',
  36: '#5fcfd0',
  37: '#d8d8d8',
  90: '#7a7a7a',
  91: '#ff8a84',
  92: '#8fe38f',
  93: '#f4dc7a',
  94: '#93bff7',
  95: '#e6a9ef',
  96: '#8ae6e6',
  97: '#ffffff',
};
const DEFAULT_FG = '#d8d8d8';
const BG = '#1e1f22';

interface Style {
  fg?: string;
  bold: boolean;
  dim: boolean;
}

interface Run {
  text: string;
  style: Style;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function parseAnsiLine(line: string, start: Style): { runs: Run[]; end: Style } {
  const runs: Run[] = [];
  let style = { ...start };
  const re = /\x1b\[([0-9;]*)m/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const push = (text: string) => {
    if (text) runs.push({ text, style: { ...style } });
  };
  while ((m = re.exec(line))) {
    push(line.slice(last, m.index));
    last = re.lastIndex;
    const codes = m[1] === '' ? [0] : m[1].split(';').map(Number);
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c === 0) style = { bold: false, dim: false };
      else if (c === 1) style.bold = true;
      else if (c === 2) style.dim = true;
      else if (c === 22) style = { ...style, bold: false, dim: false };
      else if (c === 39) style.fg = undefined;
      else if (FG[c]) style.fg = FG[c];
      else if (c === 38 || c === 48) i += codes[i + 1] === 5 ? 2 : 4; // 256/true colour: not used by tvd
    }
  }
  push(line.slice(last).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''));
  return { runs, end: style };
}

export function ansiToSvg(capture: string, o: { columns: number; title?: string }): string {
  const lines = capture.replace(/\n+$/, '').split('\n');
  const cw = 8.4;
  const lh = 18;
  const pad = 16;
  const top = o.title ? 34 : pad;
  const width = Math.ceil(o.columns * cw + 2 * pad);
  const height = Math.ceil(top + lines.length * lh + pad);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" rx="8" fill="${BG}"/>`,
  ];
  if (o.title) {
    out.push(
      `<circle cx="18" cy="16" r="5" fill="#f0605a"/><circle cx="34" cy="16" r="5" fill="#e5c55a"/><circle cx="50" cy="16" r="5" fill="#6ccb6c"/>`,
    );
    out.push(
      `<text x="${width / 2}" y="20" text-anchor="middle" font-family="Helvetica,Arial,sans-serif" font-size="12" fill="#9a9a9a">${esc(o.title)}</text>`,
    );
  }
  out.push(`<g font-family="DejaVu Sans Mono,Menlo,Consolas,monospace" font-size="14" xml:space="preserve">`);
  let style: Style = { bold: false, dim: false };
  lines.forEach((line, i) => {
    const parsed = parseAnsiLine(line, style);
    style = parsed.end;
    let col = 0;
    const spans: string[] = [];
    for (const r of parsed.runs) {
      const attrs = [`x="${(pad + col * cw).toFixed(1)}"`, `fill="${r.style.fg ?? DEFAULT_FG}"`];
      if (r.style.bold) attrs.push('font-weight="bold"');
      if (r.style.dim) attrs.push('fill-opacity="0.6"');
      if (r.text.trim()) spans.push(`<tspan ${attrs.join(' ')}>${esc(r.text)}</tspan>`);
      col += [...r.text].length;
    }
    if (spans.length) out.push(`<text y="${(top + (i + 1) * lh - 5).toFixed(1)}">${spans.join('')}</text>`);
  });
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}
