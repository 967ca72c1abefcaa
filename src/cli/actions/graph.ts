// What `tvd graph` does; its arguments and options are in commands/graph.ts.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadTopology } from '../../topology/load.js';
import { UserError } from '../../topology/diagnostic.js';
import { diagnosticLines } from '../diagnostic-text.js';
import { topologyGraph } from '../../graph/model.js';
import { toDot } from '../../graph/dot.js';
import { toMermaid } from '../../graph/mermaid.js';
import { matrixText } from '../../graph/matrix-text.js';
import { besideMatrix, dotToSvg } from '../../graph/svg.js';
import { colorWanted, palette } from '../palette.js';

export interface GraphOptions {
  format: 'dot' | 'mermaid' | 'svg';
  out?: string;
  closed?: boolean;
  matrix?: boolean;
  color?: boolean;
}

/** `topology.svg` -> svg: the format an output file's name asks for, if it asks. */
export function formatFromName(file: string): GraphOptions['format'] | undefined {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  return ext === 'svg' ? 'svg' : ext === 'mmd' || ext === 'mermaid' ? 'mermaid' : ext === 'dot' || ext === 'gv' ? 'dot' : undefined;
}

export async function run(path: string, o: GraphOptions, cmd: Command): Promise<void> {
  if (o.out && cmd.getOptionValueSource('format') === 'default') o.format = formatFromName(o.out) ?? o.format;
  const loaded = loadTopology(path);
  if (!loaded.ok) {
    for (const l of diagnosticLines(loaded.diagnostics)) process.stderr.write(l + '\n');
    process.exitCode = 1;
    return;
  }
  const g = topologyGraph(loaded.topology);
  let text: string;
  if (o.matrix) text = matrixText(g.matrix, o.out ? palette(false) : palette(colorWanted(o.color)));
  else if (o.format === 'mermaid') text = toMermaid(g, { closed: o.closed });
  else if (o.format === 'svg') text = besideMatrix(await dotToSvg(toDot(g, { closed: o.closed })), g.matrix);
  else text = toDot(g, { closed: o.closed });
  if (!o.out) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(o.out, text);
  } catch (err) {
    throw new UserError(`cannot write ${o.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
