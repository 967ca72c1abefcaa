// `tvd validate FILE|DIR [--json]`: parse and check a topology; touches no host.
// Exit 0 with a one-line summary, or 1 with every problem as `file:line:col: path: message`.
// `--json` prints the problems as `[{file, line, col, path, message}]` on stdout: `[]` when valid.
import type { Command } from 'commander';
import type { ValidateOptions } from '../actions/validate.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('parse and check a topology (schema and meaning); touches no host')
    .argument('<path>', 'a topology file, or a folder of *.yaml files merged by top-level key')
    .option('--json', 'print the problems as JSON: [{file, line, col, path, message}] ([] when valid)')
    .option('--no-color', 'plain output (validate prints plain text anyway)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tvd validate topology.yaml\n  $ tvd validate infra/          # every *.yaml in the folder, merged by top-level key\n  $ tvd validate topology.yaml --json | jq -r \'.[] | "\\(.file):\\(.line): \\(.message)"\'\n',
    )
    .action(async (path: string, o: ValidateOptions) => (await import('../actions/validate.js')).run(path, o));
}
