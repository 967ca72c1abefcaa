// The flow matrix as an SVG table (placed beside the graph in `tvd graph --format svg`).
import type { FlowMatrix } from '../plan/flow-matrix.js';
import { ruleKey } from '../plan/flow-matrix.js';
import { cellSymbol } from './model.js';

export interface SvgFragment {
  width: number;
  height: number;
  /** SVG elements, drawn from (0,0). */
  body: string;
}

export function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CELL_FILL = { open: '#dcefd9', closed: '#f3f3f3', controlled: '#fbe3cf' } as const;
const CHAR = 6.2; // Helvetica 10pt: a fair average advance, enough to size the columns
const ROW = 20;
const LINE = 12;

export function matrixSvg(m: FlowMatrix): SvgFragment {
  const n = m.tvds.length;
  const cells = m.tvds.map((from) =>
    m.tvds.map((to) => {
      const e = m.get(from, to);
      return { kind: e.connection, lines: [cellSymbol(e.connection), ...e.allow.map(ruleKey)] };
    }),
  );
  const head = Math.max(...m.tvds.map((t) => t.length), 'from \\ to'.length) * CHAR + 16;
  const colW = m.tvds.map((t, j) => Math.max(t.length, ...cells.map((r) => Math.max(...r[j].lines.map((l) => l.length)))) * CHAR + 16);
  const rowH = cells.map((r) => Math.max(ROW, ...r.map((c) => 8 + c.lines.length * LINE)));
  const top = 22;
  const width = head + colW.reduce((a, b) => a + b, 0);
  const height = top + ROW + rowH.reduce((a, b) => a + b, 0) + 34;
  const out: string[] = [];
  const text = (x: number, y: number, s: string, extra = '', size = 10) =>
    out.push(
      `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="Helvetica,sans-serif" font-size="${size}"${extra}>${xmlText(s)}</text>`,
    );
  text(0, 12, 'Flow matrix', ' font-weight="bold"', 12);
  const xs = [head];
  for (const w of colW) xs.push(xs[xs.length - 1] + w);
  // Header row.
  out.push(`<rect x="0" y="${top}" width="${width}" height="${ROW}" fill="#e8e8e8" stroke="#888888"/>`);
  text(6, top + 14, 'from \\ to', ' font-style="italic"');
  m.tvds.forEach((t, j) => text(xs[j] + 6, top + 14, t, ' font-weight="bold"'));
  let y = top + ROW;
  for (let i = 0; i < n; i++) {
    out.push(`<rect x="0" y="${y}" width="${head}" height="${rowH[i]}" fill="#e8e8e8" stroke="#888888"/>`);
    text(6, y + 14, m.tvds[i], ' font-weight="bold"');
    for (let j = 0; j < n; j++) {
      const c = cells[i][j];
      out.push(`<rect x="${xs[j]}" y="${y}" width="${colW[j]}" height="${rowH[i]}" fill="${CELL_FILL[c.kind]}" stroke="#888888"/>`);
      c.lines.forEach((l, k) => text(xs[j] + 6, y + 14 + k * LINE, l, k === 0 ? ' font-weight="bold"' : ''));
    }
    y += rowH[i];
  }
  text(0, y + 16, 'Rows send, columns receive.');
  text(0, y + 29, '1 open, 0 closed, P controlled.');
  return { width, height, body: out.join('\n') };
}
