// `tvd show [PLAN] [--json]`: the recorded state, or a saved plan as `tvd plan` printed it.
import type { Command } from 'commander';
import { addCommonOptions } from '../common-options.js';
import { addExplainOption } from '../plan-text-options.js';
import type { ShowOptions } from '../actions/show.js';

export function registerShow(program: Command): void {
  const cmd = program
    .command('show')
    .description('print the recorded state (what tvd put on each host), or a saved plan as `tvd plan` printed it')
    .argument('[plan]', 'a plan saved with `tvd plan --out`')
    .option('--json', 'print the state (or the plan) as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tvd show\n  $ tvd show --json --state ci/.tvd/state.json\n  $ tvd show tvd.plan            # review a saved plan before `tvd apply tvd.plan`\n  $ tvd show tvd.plan --explain\n',
    );
  addExplainOption(cmd);
  addCommonOptions(cmd);
  cmd.action(async (plan: string | undefined, o: ShowOptions) => (await import('../actions/show.js')).run(plan, o));
}
