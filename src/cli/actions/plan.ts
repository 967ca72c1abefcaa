// What `tvd plan` does; its arguments and options are in commands/plan.ts.
import { paletteFor } from '../palette.js';
import type { CommonOptions } from '../common-options.js';
import { connectOptionsFrom, hostLockWaitFrom, type SshCliOptions } from '../ssh-options.js';
import { loadOrThrow, preparePlan, type Prepared } from '../../refresh/prepare-plan.js';
import { backendSpecFor } from '../state-backend.js';
import { openBackend } from '../../state/open-backend.js';
import { publicSpec, type BackendSpec } from '../../state/backend-spec.js';
import type { State } from '../../state/state.js';
import { planText } from '../plan-text/plan-text.js';
import { planTextOptions, type PlanTextCliOptions } from '../plan-text-options.js';
import { writeSavedPlan } from '../saved-plan.js';
import { parseParallelism } from '../option-values.js';
import { refreshFrom, type RefreshCliOptions } from '../refresh-options.js';
import { progressMode } from '../progress.js';
import { refreshProgress } from '../progress-refresh.js';
import { applyHint } from '../apply-hint.js';
import { failedPlan } from '../failed-plan.js';
import { UserError } from '../../errors/user-error.js';
import { scopeFrom, type ScopeCliOptions } from '../scope-options.js';
import { withCapabilities } from '../../state/recorded-capabilities.js';
import { writeJson } from '../json-pieces.js';

export interface PlanOptions extends CommonOptions, SshCliOptions, RefreshCliOptions, PlanTextCliOptions, ScopeCliOptions {
  out?: string;
  json?: boolean;
  detailedExitcode?: boolean;
  parallelism: string;
}

export async function run(file: string, o: PlanOptions): Promise<void> {
  let p: Prepared;
  let spec: BackendSpec | undefined;
  try {
    const loaded = loadOrThrow(file);
    spec = backendSpecFor(o, loaded.topology.backend);
    const backend = await openBackend(spec);
    try {
      p = await preparePlan(file, {
        loaded,
        backend,
        ...refreshFrom(o),
        scope: scopeFrom(o),
        parallelism: parseParallelism(o.parallelism),
        hostLockWait: hostLockWaitFrom(o),
        connect: connectOptionsFrom(o),
        onRefresh: refreshProgress(progressMode(o, !!process.stderr.isTTY), paletteFor(o)),
      });
    } finally {
      await backend.close();
    }
  } catch (err) {
    if (!o.json || !(err instanceof UserError)) throw err;
    // --json promises a plan on stdout: one with its errors; people still read them on stderr.
    const state = await knownState(o, spec);
    const known = state && (state.serial > 0 || state.resources.length > 0) ? { serial: state.serial, lineage: state.lineage } : undefined;
    process.stdout.write(JSON.stringify(failedPlan(err, known), null, 2) + '\n');
    throw err;
  }
  await p.pool.closeAll();
  const plan = { ...p.plan, allocations: p.desired.allocations };
  if (o.json) writeJson(process.stdout, p.plan);
  else process.stdout.write(planText(p.plan, paletteFor(o), planTextOptions(o)));
  if (p.plan.errors.length) {
    process.exitCode = 1;
    return;
  }
  if (o.out) {
    // A plan on a shared backend says which (without its password), so that any machine applies it against that state.
    const capabilities = withCapabilities(p.state, p.capabilities, Object.keys(p.topology.hosts ?? {})).capabilities;
    writeSavedPlan(o.out, {
      ...plan,
      hosts: p.topology.hosts ?? {},
      ...(capabilities ? { capabilities } : {}),
      ...(spec?.type === 'postgres' ? { backend: publicSpec(spec) } : {}),
    });
    if (!o.json && !o.quiet)
      process.stdout.write(`\nSaved the plan to ${o.out}. To carry out exactly these actions, run:\n  ${applyHint(o.out, o)}\n`);
  }
  // A host skipped as unreachable is not "nothing to change": it is not known to match.
  process.exitCode = o.detailedExitcode && (p.plan.actions.length > 0 || (p.plan.partial?.skipped.length ?? 0) > 0) ? 2 : 0;
}

/** The state the failed plan was made against, if it can be read (a plan with errors still says which). */
async function knownState(o: PlanOptions, spec: BackendSpec | undefined): Promise<State | undefined> {
  try {
    const backend = await openBackend(spec ?? backendSpecFor(o));
    try {
      return await backend.read();
    } finally {
      await backend.close();
    }
  } catch {
    return undefined;
  }
}
