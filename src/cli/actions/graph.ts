// What `tvd graph` does; its arguments and options are in commands/graph.ts.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadTopology } from '../../topology/load.js';
import { UserError } from '../../errors/user-error.js';
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

const WRITES = 'SVG (.svg), DOT (.dot, .gv) or Mermaid (.mmd)';
/** Pictures Graphviz draws from DOT and tvd does not: `dot -T<ext>`. */
const GRAPHVIZ_ONLY = new Set(['png', 'pdf', 'jpg', 'gif', 'webp']);

/**
 * The format for `--out FILE`: the one its extension names, or --format's when they agree (or
 * the name has no extension, or one --format was chosen for); refused otherwise, so that
 * `--out g.png` never writes DOT into a file that claims to be a PNG.
 */
export function outputFormat(file: string, given: GraphOptions['format'] | undefined): GraphOptions['format'] {
  const named = formatFromName(file);
  const raw = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase();
  const ext = raw === 'jpeg' ? 'jpg' : raw;
  const picture = ext !== undefined && GRAPHVIZ_ONLY.has(ext);
  const viaDot = `for ${ext?.toUpperCase()}, let Graphviz draw the DOT: tvd graph FILE | dot -T${ext} > ${file}`;
  if (given === undefined) {
    if (named) return named;
    if (ext === undefined) return 'dot';
    throw new UserError(
      `${file}: tvd graph writes ${WRITES}, not .${raw}; ${picture ? viaDot : 'give --format to write one of them under this name'}`,
    );
  }
  if (named && named !== given)
    throw new UserError(`--format ${given}, but ${file} names ${named}: drop --format, or change the extension`);
  if (picture) throw new UserError(`${file}: --format ${given} is not a .${raw} picture; ${viaDot}`);
  return given;
}

export async function run(path: string, o: GraphOptions, cmd: Command): Promise<void> {
  if (o.out && !o.matrix) o.format = outputFormat(o.out, cmd.getOptionValueSource('format') === 'default' ? undefined : o.format);
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
