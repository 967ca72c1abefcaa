// What `tvd destroy` does; its arguments and options are in commands/destroy.ts.
import { paletteFor } from '../palette.js';
import type { CommonOptions } from '../common-options.js';
import { connectOptionsFrom, hostLockWaitFrom, type SshCliOptions } from '../ssh-options.js';
import { loadOrThrow, preparePlan } from '../../refresh/prepare-plan.js';
import { planText } from '../plan-text/plan-text.js';
import { planTextOptions } from '../plan-text-options.js';
import { parseParallelism } from '../option-values.js';
import { openStateBackend } from '../state-backend.js';
import { UserError } from '../../errors/user-error.js';
import { runApply } from '../run-apply.js';
import { confirm } from '../confirm.js';
import { noChangeSummary, progressMode } from '../progress.js';
import { refreshProgress } from '../progress-refresh.js';
import type { Loaded } from '../../refresh/prepare-plan.js';
import type { StateBackend, StateLock } from '../../state/backend.js';
import { scopeFrom, type ScopeCliOptions } from '../scope-options.js';
import { partialApplyNote } from '../plan-text/partial.js';

export interface DestroyOptions extends CommonOptions, SshCliOptions, ScopeCliOptions {
  autoApprove?: boolean;
  parallelism: string;
  json?: boolean;
}

export async function run(file: string, o: DestroyOptions): Promise<void> {
  const parallelism = parseParallelism(o.parallelism);
  if (!o.autoApprove && o.json) throw new UserError('tvd destroy --json cannot ask: pass --auto-approve');
  if (!o.autoApprove && !process.stdin.isTTY) {
    throw new UserError('tvd destroy is not at a terminal, so it cannot ask: pass --auto-approve');
  }
  const hostLockWait = hostLockWaitFrom(o);
  const loaded = loadOrThrow(file);
  const backend = await openStateBackend(o, loaded.topology.backend);
  try {
    const lock = await backend.lock('destroy');
    try {
      await destroyUnder(file, o, { loaded, backend, lock, parallelism, hostLockWait });
    } finally {
      await lock.release();
    }
  } finally {
    await backend.close();
  }
}

/** Plan towards nothing and carry it out, holding the state lock. */
async function destroyUnder(
  file: string,
  o: DestroyOptions,
  u: { loaded: Loaded; backend: StateBackend; lock: StateLock; parallelism: number; hostLockWait: number },
): Promise<void> {
  const c = paletteFor(o);
  const { backend, lock, parallelism, hostLockWait } = u;
  const state = await backend.read();
  const onRefresh = refreshProgress(progressMode(o, !!process.stderr.isTTY), c);
  const p = await preparePlan(
    file,
    {
      loaded: u.loaded,
      refresh: true,
      destroy: true,
      scope: scopeFrom(o),
      parallelism,
      hostLockWait,
      connect: connectOptionsFrom(o),
      onRefresh,
    },
    state,
  );
  try {
    if (!o.quiet && !o.json) process.stdout.write(planText(p.plan, c, { ...planTextOptions(o), verb: 'destroy' }));
    if (p.plan.actions.length === 0) {
      if (o.json) process.stdout.write(JSON.stringify(noChangeSummary('destroy')) + '\n');
      return;
    }
    const what = p.plan.partial ? 'these resources' : 'everything tvd made on these hosts';
    if (!o.autoApprove && !(await confirm(`\nDo you really want to destroy ${what}?`))) {
      process.stdout.write('\nDestroy cancelled.\n');
      process.exitCode = 1;
      return;
    }
    process.exitCode = await runApply({
      plan: p.plan,
      state: p.state,
      backend,
      lock,
      connect: (h) => p.pool.connect(h),
      abort: () => void p.pool.closeAll(),
      hostLockWait,
      parallelism,
      palette: c,
      quiet: o.quiet,
      json: o.json,
      verb: 'Destroy',
    });
    if (p.plan.partial && !o.json && !o.quiet) process.stdout.write(partialApplyNote(p.plan.partial, c));
  } finally {
    await p.pool.closeAll();
  }
}
