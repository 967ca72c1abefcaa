// What `tvd plan` does; its arguments and options are in commands/plan.ts.
import { paletteFor } from '../palette.js';
import type { CommonOptions } from '../common-options.js';
import { connectOptionsFrom, hostLockWaitFrom, type SshCliOptions } from '../ssh-options.js';
import { loadOrThrow, preparePlan, type Prepared } from '../prepare-plan.js';
import { backendSpecFor } from '../state-backend.js';
import { openBackend } from '../../state/open-backend.js';
import { publicSpec } from '../../state/backend-spec.js';
import { planText } from '../plan-text.js';
import { writeSavedPlan } from '../saved-plan.js';
import { parseParallelism } from '../option-values.js';
import { refreshFrom, type RefreshCliOptions } from '../refresh-options.js';
import { progressMode } from '../progress.js';
import { refreshProgress } from '../progress-refresh.js';

export interface PlanOptions extends CommonOptions, SshCliOptions, RefreshCliOptions {
  out?: string;
  json?: boolean;
  detailedExitcode?: boolean;
  parallelism: string;
}

export async function run(file: string, o: PlanOptions): Promise<void> {
  const loaded = loadOrThrow(file);
  const spec = backendSpecFor(o, loaded.topology.backend);
  const backend = await openBackend(spec);
  let p: Prepared;
  try {
    p = await preparePlan(file, {
      loaded,
      backend,
      ...refreshFrom(o),
      parallelism: parseParallelism(o.parallelism),
      hostLockWait: hostLockWaitFrom(o),
      connect: connectOptionsFrom(o),
      onRefresh: refreshProgress(progressMode(o, !!process.stderr.isTTY), paletteFor(o)),
    });
  } finally {
    await backend.close();
  }
  await p.pool.closeAll();
  const plan = { ...p.plan, allocations: p.desired.allocations };
  if (o.json) process.stdout.write(JSON.stringify(p.plan, null, 2) + '\n');
  else process.stdout.write(planText(p.plan, paletteFor(o)));
  if (p.plan.errors.length) {
    process.exitCode = 1;
    return;
  }
  if (o.out) {
    // A plan on a shared backend says which (without its password), so that any machine applies it against that state.
    writeSavedPlan(o.out, { ...plan, hosts: p.topology.hosts ?? {}, ...(spec.type === 'postgres' ? { backend: publicSpec(spec) } : {}) });
    if (!o.json && !o.quiet) process.stdout.write(`\nSaved the plan to ${o.out}. To carry out exactly these actions, run:\n  tvd apply ${o.out}\n`);
  }
  process.exitCode = o.detailedExitcode && p.plan.actions.length > 0 ? 2 : 0;
}
