// `tvd apply FILE|PLAN`: carry out a plan over SSH. A saved plan is applied exactly, and refused
// when the state moved since it was made.
import type { Command } from 'commander';
import { addCommonOptions } from '../common-options.js';
import { addSshOptions } from '../ssh-options.js';
import { addRefreshOptions } from '../refresh-options.js';
import { addScopeOptions } from '../scope-options.js';
import { addExplainOption } from '../plan-text-options.js';
import type { ApplyOptions } from '../actions/apply.js';
import { DEFAULT_PARALLELISM } from '../option-values.js';

export function registerApply(program: Command): void {
  const cmd = program
    .command('apply')
    .description('carry out a plan over SSH: push Xen configs and Dom0 scripts, run them, record the state')
    .argument('<file|plan>', 'a topology (planned now) or a plan saved with `tvd plan --out`')
    .option('--auto-approve', 'do not ask; required when not at a terminal, unless applying a saved plan')
    .option('--parallelism <n>', 'hosts worked on at once', DEFAULT_PARALLELISM)
    .option('--json', 'print progress as newline-delimited JSON events, then a summary event (needs --auto-approve or a saved plan)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tvd apply topology.yaml\n  $ tvd apply tvd.plan --json | jq -c \'select(.type == "host-done")\'\n  $ tvd apply topology.yaml --auto-approve --parallelism 32\n  $ tvd plan topology.yaml --out tvd.plan && tvd apply tvd.plan\n  $ tvd apply topology.yaml --capabilities caps/ --refresh=false   # talk only to the hosts with changes\n  $ tvd apply topology.yaml --target h1/vm/web   # only web, and what it needs on h1\n',
    );
  addExplainOption(cmd);
  addScopeOptions(cmd);
  addRefreshOptions(cmd);
  addCommonOptions(cmd);
  addSshOptions(cmd);
  cmd.action(async (target: string, o: ApplyOptions) => (await import('../actions/apply.js')).run(target, o));
}
