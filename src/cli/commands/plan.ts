// `tvd plan FILE`: desired state against recorded state (refreshed from the hosts), per host.
import { Option, type Command } from 'commander';
import { addCommonOptions, paletteFor, type CommonOptions } from '../common-options.js';
import { addSshOptions, connectOptionsFrom, type SshCliOptions } from '../ssh-options.js';
import { preparePlan } from '../prepare-plan.js';
import { planText } from '../plan-text.js';
import { writeSavedPlan } from '../saved-plan.js';
import { parseBool, parseParallelism } from '../option-values.js';
import { progressMode } from '../progress.js';
import { refreshProgress } from '../progress-refresh.js';

interface PlanOptions extends CommonOptions, SshCliOptions {
  out?: string;
  json?: boolean;
  detailedExitcode?: boolean;
  capabilities?: string;
  refresh: string;
  parallelism: string;
}

export function registerPlan(program: Command): void {
  const cmd = program
    .command('plan')
    .description('show what apply would change on each host: desired state against the recorded, refreshed state')
    .argument('<file>', 'the topology (a file, or a folder of *.yaml)')
    .option('--out <plan>', 'save the plan, to apply exactly that later with `tvd apply PLAN`')
    .option('--json', 'print the plan as JSON (the body of a saved plan)')
    .option('--detailed-exitcode', 'exit 0 when there is nothing to do, 2 when there are changes, 1 on error')
    .option('--capabilities <dir>', 'plan from capability files (<dir>/<host>.json) instead of probing hosts over SSH')
    .addOption(new Option('--refresh <bool>', 'read what is deployed from the hosts first (--refresh=false: trust the state)').default('true'))
    .option('--parallelism <n>', 'hosts talked to at once', '10')
    .addHelpText('after', '\nExamples:\n  $ tvd plan topology.yaml\n  $ tvd plan topology.yaml --out tvd.plan && tvd apply tvd.plan\n  $ tvd plan topology.yaml --capabilities caps/ --refresh=false --json\n  $ tvd plan topology.yaml --detailed-exitcode   # CI: 0 no changes, 2 changes, 1 error\n');
  addCommonOptions(cmd);
  addSshOptions(cmd);
  cmd.action(async (file: string, o: PlanOptions) => {
    const p = await preparePlan(file, {
      statePath: o.state,
      capabilitiesDir: o.capabilities,
      refresh: parseBool('--refresh', o.refresh),
      parallelism: parseParallelism(o.parallelism),
      connect: connectOptionsFrom(o),
      onRefresh: refreshProgress(progressMode(o, !!process.stderr.isTTY), paletteFor(o)),
    });
    await p.pool.closeAll();
    const plan = { ...p.plan, allocations: p.desired.allocations };
    if (o.json) process.stdout.write(JSON.stringify(p.plan, null, 2) + '\n');
    else process.stdout.write(planText(p.plan, paletteFor(o)));
    if (p.plan.errors.length) {
      process.exitCode = 1;
      return;
    }
    if (o.out) {
      writeSavedPlan(o.out, { ...plan, hosts: p.topology.hosts ?? {} });
      if (!o.json && !o.quiet) process.stdout.write(`\nSaved the plan to ${o.out}. To carry out exactly these actions, run:\n  tvd apply ${o.out}\n`);
    }
    process.exitCode = o.detailedExitcode && p.plan.actions.length > 0 ? 2 : 0;
  });
}
