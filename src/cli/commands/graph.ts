// `tvd graph FILE [--format dot|mermaid|svg] [--out F] [--closed] [--matrix]`: the TVDs, hosts,
// VMs and the flows between TVDs as a picture, or the paper's flow matrix as a table.
// Touches no host.
import { Option, type Command } from 'commander';
import type { GraphOptions } from '../actions/graph.js';

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description('draw the TVDs, hosts, VMs and the flows between TVDs (DOT, Mermaid or SVG), or print the flow matrix; touches no host')
    .argument('<path>', 'a topology file, or a folder of *.yaml files')
    .addOption(
      new Option(
        '--format <format>',
        'dot (Graphviz), mermaid (for Markdown) or svg (the picture with the flow matrix beside it; no Graphviz needed); without it, from the --out extension (.svg, .mmd, .dot, .gv; another is refused), else dot',
      )
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
    .action(async (path: string, o: GraphOptions, cmd: Command) => (await import('../actions/graph.js')).run(path, o, cmd));
}
