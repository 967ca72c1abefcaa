// `tvd graph FILE [--format dot|mermaid|svg] [--out F] [--closed] [--matrix]`: the TVDs, hosts,
// VMs and the flows between TVDs as a picture, or the paper's flow matrix as a table.
// Touches no host.
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { loadTopology } from '../../topology/load.js';
import { formatDiagnostic, UserError } from '../../topology/diagnostic.js';
import { topologyGraph } from '../../graph/model.js';
import { toDot } from '../../graph/dot.js';
import { toMermaid } from '../../graph/mermaid.js';
import { matrixText } from '../../graph/matrix-text.js';
import { besideMatrix, dotToSvg } from '../../graph/svg.js';
import { colorWanted, palette } from '../palette.js';

interface GraphOptions {
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

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description('draw the TVDs, hosts, VMs and the flows between TVDs (DOT, Mermaid or SVG), or print the flow matrix; touches no host')
    .argument('<path>', 'a topology file, or a folder of *.yaml files')
    .addOption(
      new Option('--format <format>', 'dot (Graphviz), mermaid (for Markdown) or svg (the picture with the flow matrix beside it; no Graphviz needed); without it, from the --out extension (.svg, .mmd, .dot), else dot')
        .choices(['dot', 'mermaid', 'svg'])
        .default('dot'),
    )
    .option('--out <file>', 'write the output to a file instead of stdout')
    .option('--closed', 'draw closed connections too (dashed); by default they are left out')
    .option('--matrix', 'print the flow matrix as a table instead (rows send, columns receive; 1 open, 0 closed, P controlled)')
    .option('--no-color', 'no colours in the matrix table (also NO_COLOR)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tvd graph topology.yaml --out topology.svg          # the format follows the extension\n  $ tvd graph topology.yaml | dot -Tpng > topology.png\n  $ tvd graph topology.yaml --format mermaid --closed >> README.md\n  $ tvd graph topology.yaml --matrix\n',
    )
    .action(async (path: string, o: GraphOptions, cmd: Command) => {
      if (o.out && cmd.getOptionValueSource('format') === 'default') o.format = formatFromName(o.out) ?? o.format;
      const loaded = loadTopology(path);
      if (!loaded.ok) {
        for (const d of loaded.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
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
    });
}
