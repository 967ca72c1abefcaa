// The paper's flow matrix as a terminal table: rows send, columns receive; 1 open, 0 closed,
// P controlled (with the allowed kinds). Read straight from the flow matrix.
import { ruleKey, type FlowMatrix, type MatrixEntry } from '../plan/flow-matrix.js';
import { cellSymbol } from './model.js';

export interface MatrixColors {
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

const plain: MatrixColors = { green: (s) => s, red: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

export function cellText(e: MatrixEntry): string {
  const s = cellSymbol(e.connection);
  return e.connection === 'controlled' ? `${s} ${e.allow.length ? e.allow.map(ruleKey).join(',') : '(nothing)'}` : s;
}

export function matrixText(m: FlowMatrix, c: MatrixColors = plain): string {
  const corner = 'from \\ to';
  const rows = m.tvds.map((from) => [from, ...m.tvds.map((to) => cellText(m.get(from, to)))]);
  const header = [corner, ...m.tvds];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const paint = (cell: string, col: number): string => {
    if (col === 0) return c.bold(cell);
    return cell.startsWith('1') ? c.green(cell) : cell.startsWith('0') ? c.red(cell) : c.yellow(cell);
  };
  // Pad before painting, so escape codes do not count towards the width.
  const line = (cells: string[], paintCells: boolean) =>
    cells
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i]);
        return paintCells ? paint(padded, i) : c.bold(padded);
      })
      .join('  ')
      .trimEnd();
  const out = [line(header, false), ...rows.map((r) => line(r, true))];
  out.push('', c.dim('Rows send, columns receive. 1 open, 0 closed, P controlled: only the listed kinds pass (replies pass back).'));
  return out.join('\n') + '\n';
}
