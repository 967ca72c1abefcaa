// `tvd show [--json]`: the recorded state.
import type { Command } from 'commander';
import { addCommonOptions } from '../common-options.js';
import type { ShowOptions } from '../actions/show.js';

export function registerShow(program: Command): void {
  const cmd = program
    .command('show')
    .description('print the recorded state: what tvd put on each host')
    .option('--json', 'print the state as JSON')
    .addHelpText('after', '\nExamples:\n  $ tvd show\n  $ tvd show --json --state ci/.tvd/state.json\n');
  addCommonOptions(cmd);
  cmd.action(async (o: ShowOptions) => (await import('../actions/show.js')).run(o));
}
