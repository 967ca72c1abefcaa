// Ctrl-C, or a kill, while a lab is up: the signal's default action ends the process before any
// `finally` runs, which would leave the lab's namespaces and sshds behind. While a cleanup is
// registered, the first SIGINT, SIGTERM or SIGHUP runs every cleanup, newest first, and then
// exits as the signal would have (128 + its number). A second signal ends the process at once.
import { constants } from 'node:os';

type Cleanup = () => Promise<void>;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const cleanups: Cleanup[] = [];
let interrupted = false;

function onSignal(signal: (typeof SIGNALS)[number]): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  interrupted = true;
  void (async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (err) {
        process.stderr.write(`cleanup after ${signal} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    process.exit(128 + constants.signals[signal]);
  })();
}

/** Whether a signal has started the cleanups (a cleanup may then say what it did). */
export function wasInterrupted(): boolean {
  return interrupted;
}

function register(cleanup: Cleanup): void {
  if (cleanups.length === 0) for (const s of SIGNALS) process.on(s, onSignal);
  cleanups.push(cleanup);
}

function unregister(cleanup: Cleanup): void {
  const i = cleanups.indexOf(cleanup);
  if (i >= 0) cleanups.splice(i, 1);
  if (cleanups.length === 0) for (const s of SIGNALS) process.removeListener(s, onSignal);
}

/**
 * `cleanup`, run once: by a signal that comes first, or by calling the returned function (where
 * the caller would have called `cleanup`), which also awaits a run a signal already started.
 */
export function cleanupOnInterrupt(cleanup: Cleanup): Cleanup {
  let run: Promise<void> | undefined;
  const once = () => (run ??= cleanup());
  register(once);
  return () => {
    unregister(once);
    return once();
  };
}

/**
 * `work()`'s result, with `cleanup` standing by from before `work` starts until it settles: a
 * signal meanwhile runs `cleanup` once `work` has settled (so that nothing `work` still makes
 * is left behind), and the process ends without this ever resolving. Without a signal,
 * `cleanup` is dropped unrun.
 */
export async function cleanupIfInterrupted<T>(cleanup: Cleanup, work: () => Promise<T>): Promise<T> {
  let settled: Promise<unknown> = Promise.resolve();
  const standBy = async () => {
    await settled;
    await cleanup();
  };
  // Before work starts: a signal that came before a handler was there would end the process
  // at once, whatever work had made.
  register(standBy);
  try {
    const running = work();
    settled = running.catch(() => undefined);
    return await running;
  } finally {
    unregister(standBy);
    // The cleanups are running and the process is about to exit: the caller must not go on.
    if (interrupted) await new Promise<never>(() => {});
  }
}
