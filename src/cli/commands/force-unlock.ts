// `tvd force-unlock ID`: remove a lock left by a run that died.
import type { Command } from 'commander';
import { addCommonOptions, type CommonOptions } from '../common-options.js';

export function registerForceUnlock(program: Command): void {
  const cmd = program
    .command('force-unlock')
    .description('remove the state lock left by a run that died (give the lock id the error printed)')
    .argument('<id>', 'the lock id')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tvd force-unlock 6f1c2a9e-4b7d-4c1e-9a3f-2d8e5b7c0a14\n  $ tvd force-unlock 6f1c2a9e-4b7d-4c1e-9a3f-2d8e5b7c0a14 --state ci/.tvd/state.json\n',
    );
  addCommonOptions(cmd);
  cmd.action(async (id: string, o: CommonOptions) => (await import('../actions/force-unlock.js')).run(id, o));
}
