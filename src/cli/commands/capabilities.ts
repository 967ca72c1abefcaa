// `tvd capabilities FILE [--out DIR]`: probe every host of the topology over SSH, in parallel,
// and write DIR/<host>.json for each (schema-checked). An unreachable host is one line naming it
// and the reason; the others still complete; the exit code is 1 if any host failed.
import type { Command } from 'commander';
import { DEFAULT_CAPABILITIES_DIR } from '../../capabilities/files.js';
import { addSshOptions } from '../ssh-options.js';
import type { CapabilitiesOptions } from '../actions/capabilities.js';
import { DEFAULT_PARALLELISM } from '../option-values.js';

export function registerCapabilities(program: Command): void {
  const cmd = program
    .command('capabilities')
    .description("collect each host's capability model over SSH and write DIR/<host>.json")
    .argument('<path>', 'a topology file, or a folder of *.yaml files')
    .option('--out <dir>', 'where to write the capability files', DEFAULT_CAPABILITIES_DIR)
    .option('--parallelism <n>', 'hosts probed at once', DEFAULT_PARALLELISM)
    .addHelpText(
      'after',
      '\nExamples:\n  $ tvd capabilities topology.yaml --out caps/\n  $ tvd plan topology.yaml --capabilities caps/ --refresh=false   # plan offline from them\n',
    );
  addSshOptions(cmd)
    .option('--quiet', 'print only errors')
    .option('--verbose', 'print each host’s model in short')
    .option('--no-color', 'plain output (also NO_COLOR)')
    .action(async (path: string, o: CapabilitiesOptions) => (await import('../actions/capabilities.js')).run(path, o));
}
