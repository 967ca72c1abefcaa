// SVG without a system Graphviz: the DOT laid out by Graphviz compiled to WebAssembly, with the
// flow matrix table beside it in one picture.
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { UserError } from '../errors/user-error.js';
import { matrixSvg } from './matrix-svg.js';
import type { FlowMatrix } from '../plan/flow-matrix.js';

let graphviz: Promise<Graphviz> | undefined;

/** Lays out DOT into SVG; a DOT syntax error is thrown (which is how tests check our DOT). */
export async function dotToSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  const gv = await graphviz;
  return gv.dot(dot, 'svg');
}

/** The graph's SVG and the matrix table, side by side, in one SVG document. */
export function besideMatrix(graphSvg: string, m: FlowMatrix): string {
  const open = /<svg\b[^>]*>/.exec(graphSvg);
  const w = /width="([\d.]+)pt"/.exec(open?.[0] ?? '');
  const h = /height="([\d.]+)pt"/.exec(open?.[0] ?? '');
  if (!open || !w || !h) throw new UserError('Graphviz produced an SVG without a size');
  const gw = Number(w[1]);
  const gh = Number(h[1]);
  const inner = graphSvg.slice(open.index); // drop the XML prolog and doctype
  const table = matrixSvg(m);
  const gap = 24;
  const width = Math.ceil(gw + gap + table.width + 8);
  const height = Math.ceil(Math.max(gh, table.height + 16));
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}pt" height="${height}pt" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    inner.replace(/^<svg\b/, `<svg x="0" y="0"`).replace(/width="[\d.]+pt" height="[\d.]+pt"/, `width="${gw}" height="${gh}"`),
    `<g transform="translate(${gw + gap} 8)">`,
    table.body,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
