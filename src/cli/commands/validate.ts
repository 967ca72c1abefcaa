// `tvd validate FILE|DIR [--json]`: parse and check a topology; touches no host.
// Exit 0 with a one-line summary, or 1 with every problem as `file:line:col: path: message`.
// `--json` prints the problems as `[{file, line, col, path, message}]` on stdout: `[]` when valid.
import type { Command } from 'commander';
import { loadTopology } from '../../topology/load.js';
import { formatDiagnostic } from '../../topology/diagnostic.js';
import type { Topology } from '../../topology/schema.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('parse and check a topology (schema and meaning); touches no host')
    .argument('<path>', 'a topology file, or a folder of *.yaml files merged by top-level key')
    .option('--json', 'print the problems as JSON: [{file, line, col, path, message}] ([] when valid)')
    .option('--no-color', 'plain output (validate prints plain text anyway)')
    .addHelpText('after', '\nExamples:\n  $ tvd validate topology.yaml\n  $ tvd validate infra/          # every *.yaml in the folder, merged by top-level key\n  $ tvd validate topology.yaml --json | jq -r \'.[] | "\\(.file):\\(.line): \\(.message)"\'\n')
    .action((path: string, opts: { json?: boolean }) => {
      const result = loadTopology(path);
      if (opts.json) {
        process.stdout.write(JSON.stringify(result.ok ? [] : result.diagnostics, null, 2) + '\n');
      } else if (result.ok) {
        process.stdout.write(summary(result.topology) + '\n');
      } else {
        for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
        const n = result.diagnostics.length;
        process.stderr.write(`${n} ${n === 1 ? 'problem' : 'problems'} found.\n`);
      }
      process.exitCode = result.ok ? 0 : 1;
    });
}

export function summary(t: Topology): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    'Valid: ' +
    [
      count(Object.keys(t.tvds ?? {}).length, 'TVD'),
      count((t.flows ?? []).length, 'flow'),
      count(Object.keys(t.hosts ?? {}).length, 'host'),
      count(Object.keys(t.vms ?? {}).length, 'VM'),
    ].join(', ') +
    '.'
  );
}
