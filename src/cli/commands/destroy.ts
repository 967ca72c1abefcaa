// `tvd destroy FILE`: remove from every host all that tvd put there, and nothing else.
import type { Command } from 'commander';
import { addCommonOptions } from '../common-options.js';
import { addSshOptions } from '../ssh-options.js';
import { addScopeOptions } from '../scope-options.js';
import type { DestroyOptions } from '../actions/destroy.js';
import { DEFAULT_PARALLELISM } from '../option-values.js';

export function registerDestroy(program: Command): void {
  const cmd = program
    .command('destroy')
    .description('remove from every host all that tvd put there (bridges, tunnels, firewalls, VMs, files), and nothing else')
    .argument('<file>', 'the topology the state was applied from (for the hosts and how to reach them)')
    .option('--auto-approve', 'do not ask; required when not at a terminal')
    .option('--parallelism <n>', 'hosts worked on at once', DEFAULT_PARALLELISM)
    .option('--json', 'print progress as newline-delimited JSON events, then a summary event (needs --auto-approve)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tvd destroy topology.yaml\n  $ tvd destroy topology.yaml --auto-approve\n  $ tvd destroy topology.yaml --auto-approve --json > destroy.ndjson\n  $ tvd destroy topology.yaml --limit h3     # only what tvd made on h3\n  $ tvd destroy topology.yaml --target h1/vm/web\n',
    );
  addScopeOptions(cmd);
  addCommonOptions(cmd);
  addSshOptions(cmd);
  cmd.action(async (file: string, o: DestroyOptions) => (await import('../actions/destroy.js')).run(file, o));
}
