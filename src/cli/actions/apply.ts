// What `tvd apply` does; its arguments and options are in commands/apply.ts.
import type { Plan } from '../../plan/plan.js';
import type { Allocations, State } from '../../state/state.js';
import { paletteFor } from '../palette.js';
import type { CommonOptions } from '../common-options.js';
import { connectOptionsFrom, hostLockWaitFrom, type SshCliOptions } from '../ssh-options.js';
import { planText } from '../plan-text/plan-text.js';
import { planTextOptions } from '../plan-text-options.js';
import { readSavedPlan, stalePlanReason } from '../saved-plan.js';
import { parseParallelism } from '../option-values.js';
import type { StateBackend, StateLock } from '../../state/backend.js';
import { openStateBackend } from '../state-backend.js';
import { UserError } from '../../errors/user-error.js';
import { ConnectionPool } from '../../ssh/connection-pool.js';
import { confirm } from '../confirm.js';
import { noChangeSummary, progressMode } from '../progress.js';
import { refreshProgress } from '../progress-refresh.js';
import { refreshFrom, refreshGiven, type RefreshCliOptions } from '../refresh-options.js';
import { scopeFrom, scopeGiven, type ScopeCliOptions } from '../scope-options.js';
import type { PlanTextCliOptions } from '../plan-text-options.js';
import { partialApplyNote } from '../plan-text/partial.js';
import { withCapabilities } from '../../state/recorded-capabilities.js';

export interface ApplyOptions extends CommonOptions, SshCliOptions, RefreshCliOptions, ScopeCliOptions, PlanTextCliOptions {
  autoApprove?: boolean;
  parallelism: string;
  json?: boolean;
}

export async function run(target: string, o: ApplyOptions): Promise<void> {
  const c = paletteFor(o);
  const parallelism = parseParallelism(o.parallelism);
  // The hosts apply starts with: the first --parallelism of those with actions, in its order.
  const hostsOf = (p: Plan) => [...new Set(p.actions.map((a) => a.host))].sort().slice(0, parallelism);
  const saved = readSavedPlan(target);
  if (saved && scopeGiven(o))
    throw new UserError(
      `--target, --limit and --skip-unreachable are for a topology; the saved plan ${target} is applied exactly as it was saved (make a partial one with \`tvd plan --target ... --out\`)`,
    );
  if (saved && refreshGiven(o))
    throw new UserError(`--capabilities and --refresh are for a topology; the saved plan ${target} was refreshed when it was made`);
  if (!saved && !o.autoApprove && o.json) {
    throw new UserError('tvd apply --json cannot ask: pass --auto-approve, or apply a plan saved with `tvd plan --out`');
  }
  if (!saved && !o.autoApprove && !process.stdin.isTTY) {
    throw new UserError(
      'tvd apply is not at a terminal, so it cannot ask: pass --auto-approve, or apply a plan saved with `tvd plan --out`',
    );
  }
  const hostLockWait = hostLockWaitFrom(o);
  let pool: ConnectionPool | undefined;
  let backend: StateBackend | undefined;
  let lock: StateLock | undefined;
  try {
    let loaded: import('../../refresh/prepare-plan.js').Loaded | undefined;
    if (saved) {
      // A saved plan names the hosts it changes: connect to them (up to --parallelism) while the
      // lock, the state and the code that applies are still to come.
      pool = new ConnectionPool({ version: 1, tvds: {}, hosts: saved.hosts }, connectOptionsFrom(o));
      pool.warm(hostsOf(saved));
      // The state it was made against: the backend it records, unless flags name the same one.
      backend = await openStateBackend(o, undefined, saved.backend);
    } else {
      // The topology first: its backend block says where the state is.
      loaded = (await import('../../refresh/prepare-plan.js')).loadOrThrow(target);
      backend = await openStateBackend(o, loaded.topology.backend);
    }
    lock = await backend.lock('apply');
    const state = await backend.read();
    let plan: Plan;
    let allocations: Allocations | undefined;
    // What we record onto: the state, plus records refresh adopted from the hosts.
    let base: State = state;
    if (saved) {
      const why = stalePlanReason(saved, state);
      if (why) throw new UserError(`the saved plan ${target} is stale: ${why}. Run \`tvd plan\` again.`);
      if (saved.errors.length) throw new UserError(`the saved plan ${target} has errors; it cannot be applied`);
      plan = saved;
      allocations = saved.allocations;
      base = withCapabilities(state, saved.capabilities ?? {}, Object.keys(saved.hosts));
    } else {
      const onRefresh = refreshProgress(progressMode(o, !!process.stderr.isTTY), c);
      // Only a topology needs the parsers and the planner; a saved plan (the common case in CI)
      // starts without them.
      const { preparePlan } = await import('../../refresh/prepare-plan.js');
      const p = await preparePlan(
        target,
        { loaded, ...refreshFrom(o), scope: scopeFrom(o), parallelism, hostLockWait, connect: connectOptionsFrom(o), onRefresh },
        state,
      );
      pool = p.pool;
      plan = p.plan;
      base = withCapabilities(p.state, p.capabilities, Object.keys(p.topology.hosts ?? {}));
      allocations = p.desired.allocations;
      if (o.json) {
        if (plan.errors.length) process.stderr.write(planText(plan, c, planTextOptions(o, process.stderr)));
      } else if (!o.quiet || plan.errors.length) process.stdout.write(planText(plan, c, planTextOptions(o)));
      if (plan.errors.length) {
        process.exitCode = 1;
        return;
      }
      if (plan.actions.length === 0) {
        if (o.json) process.stdout.write(JSON.stringify(noChangeSummary('apply')) + '\n');
        return;
      }
      if (!o.autoApprove && !(await confirm('\nDo you want to perform these actions?'))) {
        process.stdout.write('\nApply cancelled.\n');
        process.exitCode = 1;
        return;
      }
    }
    if (plan.actions.length === 0) {
      process.stdout.write(o.json ? JSON.stringify(noChangeSummary('apply')) + '\n' : c.green('No changes.') + '\n');
      return;
    }
    const p2 = pool!;
    p2.warm(hostsOf(plan));
    const { runApply } = await import('../run-apply.js');
    process.exitCode = await runApply({
      plan,
      allocations,
      state: base,
      backend,
      lock,
      connect: (h) => p2.connect(h),
      abort: () => void p2.closeAll(),
      hostLockWait,
      parallelism,
      palette: c,
      quiet: o.quiet,
      json: o.json,
      verb: 'Apply',
    });
    if (plan.partial && !o.json && !o.quiet) process.stdout.write(partialApplyNote(plan.partial, c));
  } finally {
    await pool?.closeAll();
    await lock?.release();
    await backend?.close();
  }
}
