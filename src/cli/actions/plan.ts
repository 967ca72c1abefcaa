// What `tvd plan` does; its arguments and options are in commands/plan.ts.
import { paletteFor } from '../palette.js';
import type { CommonOptions } from '../common-options.js';
import { connectOptionsFrom, type SshCliOptions } from '../ssh-options.js';
import { preparePlan, type Prepared } from '../prepare-plan.js';
import { planText } from '../plan-text/plan-text.js';
import { planTextOptions, type PlanTextCliOptions } from '../plan-text-options.js';
import { writeSavedPlan } from '../saved-plan.js';
import { parseParallelism } from '../option-values.js';
import { refreshFrom, type RefreshCliOptions } from '../refresh-options.js';
import { progressMode } from '../progress.js';
import { refreshProgress } from '../progress-refresh.js';
import { applyHint } from '../apply-hint.js';
import { failedPlan } from '../failed-plan.js';
import { UserError } from '../../topology/diagnostic.js';
import { readState } from '../../state/store.js';

export interface PlanOptions extends CommonOptions, SshCliOptions, RefreshCliOptions, PlanTextCliOptions {
  out?: string;
  json?: boolean;
  detailedExitcode?: boolean;
  parallelism: string;
}

export async function run(file: string, o: PlanOptions): Promise<void> {
  let p: Prepared;
  try {
    p = await preparePlan(file, {
      statePath: o.state,
      ...refreshFrom(o),
      parallelism: parseParallelism(o.parallelism),
      connect: connectOptionsFrom(o),
      onRefresh: refreshProgress(progressMode(o, !!process.stderr.isTTY), paletteFor(o)),
    });
  } catch (err) {
    if (!o.json || !(err instanceof UserError)) throw err;
    // --json promises a plan on stdout: one with its errors; people still read them on stderr.
    const state = await readState(o.state).catch(() => undefined);
    const known = state && (state.serial > 0 || state.resources.length > 0) ? { serial: state.serial, lineage: state.lineage } : undefined;
    process.stdout.write(JSON.stringify(failedPlan(err, known), null, 2) + '\n');
    throw err;
  }
  await p.pool.closeAll();
  const plan = { ...p.plan, allocations: p.desired.allocations };
  if (o.json) process.stdout.write(JSON.stringify(p.plan, null, 2) + '\n');
  else process.stdout.write(planText(p.plan, paletteFor(o), planTextOptions(o)));
  if (p.plan.errors.length) {
    process.exitCode = 1;
    return;
  }
  if (o.out) {
    writeSavedPlan(o.out, { ...plan, hosts: p.topology.hosts ?? {} });
    if (!o.json && !o.quiet) process.stdout.write(`\nSaved the plan to ${o.out}. To carry out exactly these actions, run:\n  ${applyHint(o.out, o)}\n`);
  }
  process.exitCode = o.detailedExitcode && p.plan.actions.length > 0 ? 2 : 0;
}
