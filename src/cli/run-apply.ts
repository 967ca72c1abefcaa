// The back half of apply and destroy: carry out a plan under the state lock, report progress,
// and handle Ctrl-C (first: no new hosts, finish running ones; second: record and stop at once).
import type { Plan } from '../plan/plan.js';
import type { Allocations, State } from '../state/state.js';
import type { Palette } from './palette.js';
import type { StateBackend, StateLock } from '../state/backend.js';
import { applyPlan } from '../apply/apply-plan.js';
import type { HostConnection } from '../ssh/session.js';
import { createProgress, progressMode } from './progress.js';
import { DEFAULT_HOST_LOCK_WAIT_S } from '../host/host-lock.js';
import { mask } from '../state/secret-mask.js';

export interface RunApplyOptions {
  plan: Plan;
  allocations?: Allocations;
  state: State;
  backend: StateBackend;
  lock: StateLock;
  connect: (host: string) => Promise<HostConnection>;
  /** Cut the hosts under way off (close their connections): what they do now cannot be recorded. */
  abort?: () => void;
  /** How long each bundle waits for its host's lock. */
  hostLockWait?: number;
  parallelism: number;
  palette: Palette;
  quiet?: boolean;
  /** Newline-delimited JSON events on stdout (the ApplyEvents, then a summary) instead of text. */
  json?: boolean;
  verb: 'Apply' | 'Destroy';
}

export async function runApply(o: RunApplyOptions): Promise<number> {
  const c = o.palette;
  let stop = false;
  let snapshot: (() => State) | undefined;
  const perHost = new Map<string, number>();
  for (const a of o.plan.actions) perHost.set(a.host, (perHost.get(a.host) ?? 0) + 1);
  const progress = createProgress({ mode: progressMode(o), hosts: [...perHost], palette: c });
  const onSigint = () => {
    if (!stop) {
      stop = true;
      progress.note(
        c.yellow(
          '\nInterrupt received: no new host will be started; hosts under way finish their script. Press Ctrl-C again to stop at once.\n',
        ),
      );
      return;
    }
    // Second Ctrl-C: write what we know (steps under way count as tainted) and leave.
    const s = snapshot?.();
    const done = s ? o.backend.write(s).catch(() => undefined) : Promise.resolve();
    void done.finally(() => {
      o.lock.releaseSync();
      process.stderr.write(c.red('Stopped. The state records what finished; run `tvd plan` to see what is left.\n'));
      process.exit(130);
    });
  };
  process.on('SIGINT', onSigint);
  try {
    const started = Date.now();
    const counts = { added: 0, changed: 0, destroyed: 0 };
    const count = (action: string) => {
      if (action === 'create' || action === 'replace') counts.added++;
      if (action === 'delete' || action === 'replace') counts.destroyed++;
      if (action === 'update') counts.changed++;
    };
    const result = await applyPlan({
      plan: o.plan,
      allocations: o.allocations,
      state: o.state,
      connect: o.connect,
      save: (s) => o.backend.write(s),
      onSaveFailed: () => o.abort?.(),
      // Another run that finds this host busy reads who changes it: this run and its state lock.
      hostLock: {
        waitSeconds: o.hostLockWait ?? DEFAULT_HOST_LOCK_WAIT_S,
        holder: `${o.verb.toLowerCase()} by ${o.lock.info.who} (pid ${o.lock.info.pid}, lock ID ${o.lock.info.id}) since ${o.lock.info.created}`,
      },
      parallelism: o.parallelism,
      stopRequested: () => stop,
      expose: (f) => (snapshot = f),
      onEvent: (e) => {
        if (e.type === 'step-ok') count(e.action);
        progress.event(e);
      },
    });
    const seconds = (Date.now() - started) / 1000;
    const secs = seconds.toFixed(1);
    const ok = result.failures.length === 0 && result.skipped.length === 0 && !result.saveError;
    progress.finish({
      type: 'summary',
      verb: o.verb === 'Apply' ? 'apply' : 'destroy',
      ok,
      ...counts,
      failures: result.failures,
      skipped: result.skipped,
      seconds,
    });
    const summary = `Resources: ${counts.added} added, ${counts.changed} changed, ${counts.destroyed} destroyed.`;
    if (ok) {
      if (o.json) return 0;
      process.stdout.write(c.green(c.bold(`\n${o.verb} complete! ${summary}`)) + c.dim(` (${secs}s)`) + '\n');
      return 0;
    }
    const hosts = new Set(o.plan.actions.map((a) => a.host)).size;
    // Hosts never started (after Ctrl-C, or once the state could not be recorded) did not fail: they are "not started".
    const notStarted = result.skipped.length ? `${result.skipped.length} of ${hosts} ${hosts === 1 ? 'host' : 'hosts'} not started.` : '';
    const head = result.failures.length
      ? `${o.verb} failed on ${result.failures.length} of ${hosts} ${hosts === 1 ? 'host' : 'hosts'}.${notStarted ? ` ${notStarted}` : ''}`
      : result.saveError
        ? `${o.verb} failed: the state could not be recorded.${notStarted ? ` ${notStarted}` : ''}`
        : `${o.verb} interrupted: ${notStarted}`;
    process.stderr.write(c.red(c.bold(`\n${head}`)) + ` ${summary}\n`);
    if (result.saveError) {
      // First: why everything else stopped. The hosts' failures are its consequence.
      process.stderr.write(c.red(`Error: the state could not be recorded: ${mask(result.saveError.message)}`) + '\n');
      process.stderr.write(
        'The hosts under way were cut off. Run `tvd plan` once the state backend is back: it reads from the hosts what they did.\n',
      );
    }
    // A connection's error names its host already (`host h1 (198.18.0.11:22): ...`).
    for (const f of result.failures) {
      const message = mask(f.message);
      process.stderr.write(c.red(`Error: ${message.startsWith(`host ${f.host} `) ? message : `host ${f.host}: ${message}`}`) + '\n');
    }
    for (const h of result.skipped)
      process.stderr.write(
        c.yellow(`host ${h}: not started (${result.saveError ? 'the state could not be recorded' : 'interrupted'})`) + '\n',
      );
    if (!result.saveError)
      process.stderr.write('The state records what was done. Run `tvd plan` to see what is left, and `tvd apply` again to finish.\n');
    return stop && result.failures.length === 0 && !result.saveError ? 130 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
