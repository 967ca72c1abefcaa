// `tvd init [DIR]`: write a starter topology.yaml whose first line points yaml-language-server
// (VS Code's YAML extension, Neovim, Helix, ...) at the schema, for completion and hover help.
import type { Command } from 'commander';
import type { InitOptions } from '../actions/init.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a starter topology.yaml whose first line points your editor (yaml-language-server) at the schema')
    .argument('[dir]', 'the folder to write it into', '.')
    .option('--schema <url|path>', 'where the editor finds the schema (default: the schema file of this tvd installation)')
    .option('--force', 'overwrite an existing topology.yaml')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tvd init\n  $ tvd init infra/tvd && tvd validate infra/tvd/topology.yaml\n  $ tvd init --schema https://example.org/tvd/topology.schema.json\n',
    )
    .action(async (dir: string, o: InitOptions) => (await import('../actions/init.js')).run(dir, o));
}
