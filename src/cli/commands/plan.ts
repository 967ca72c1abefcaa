// `tvd plan FILE`: desired state against recorded state (refreshed from the hosts), per host.
import type { Command } from 'commander';
import { addCommonOptions } from '../common-options.js';
import { addSshOptions } from '../ssh-options.js';
import { addRefreshOptions } from '../refresh-options.js';
import { addExplainOption } from '../plan-text-options.js';
import { addScopeOptions } from '../scope-options.js';
import type { PlanOptions } from '../actions/plan.js';
import { DEFAULT_PARALLELISM } from '../option-values.js';

export function registerPlan(program: Command): void {
  const cmd = program
    .command('plan')
    .description('show what apply would change on each host: desired state against the recorded, refreshed state')
    .argument('<file>', 'the topology (a file, or a folder of *.yaml)')
    .option('--out <plan>', 'save the plan, to apply exactly that later with `tvd apply PLAN`')
    .option('--json', 'print the plan as JSON (the body of a saved plan)')
    .option('--detailed-exitcode', 'exit 0 when there is nothing to do, 2 when there are changes, 1 on error')
    .option('--parallelism <n>', 'hosts talked to at once', DEFAULT_PARALLELISM)
    .addHelpText(
      'after',
      '\nExamples:\n  $ tvd plan topology.yaml\n  $ tvd plan topology.yaml --explain            # why each host pair got its VLAN or tunnel\n  $ tvd plan topology.yaml --out tvd.plan && tvd apply tvd.plan\n  $ tvd plan topology.yaml --capabilities caps/ --refresh=false --json\n  $ tvd plan topology.yaml --detailed-exitcode   # CI: 0 no changes, 2 changes, 1 error\n  $ tvd plan topology.yaml --target h1/vm/web --out web.plan   # a partial plan: web and what it needs\n  $ tvd plan topology.yaml --limit h1 --limit h2  # read and change only h1 and h2\n  $ tvd plan topology.yaml --skip-unreachable --detailed-exitcode   # a dead host is named and left as it is; exits 2\n',
    );
  addExplainOption(cmd);
  addScopeOptions(cmd);
  addRefreshOptions(cmd);
  addCommonOptions(cmd);
  addSshOptions(cmd);
  cmd.action(async (file: string, o: PlanOptions) => (await import('../actions/plan.js')).run(file, o));
}
