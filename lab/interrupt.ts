// Ctrl-C, or a kill, while a lab is up: the signal's default action ends the process before any
// `finally` runs, which would leave the lab's namespaces and sshds behind. While a cleanup is
// registered, the first SIGINT, SIGTERM or SIGHUP runs every cleanup, newest first, and then
// exits as the signal would have (128 + its number). A second signal ends the process at once.
import { constants } from 'node:os';

type Cleanup = () => Promise<void>;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const cleanups: Cleanup[] = [];

function onSignal(signal: (typeof SIGNALS)[number]): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
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

/**
 * `cleanup`, run once: by a signal that comes first, or by calling the returned function (where
 * the caller would have called `cleanup`), which also awaits a run a signal already started.
 */
export function cleanupOnInterrupt(cleanup: Cleanup): Cleanup {
  let run: Promise<void> | undefined;
  const once = () => (run ??= cleanup());
  if (cleanups.length === 0) for (const s of SIGNALS) process.on(s, onSignal);
  cleanups.push(once);
  return () => {
    const i = cleanups.indexOf(once);
    if (i >= 0) cleanups.splice(i, 1);
    if (cleanups.length === 0) for (const s of SIGNALS) process.removeListener(s, onSignal);
    return once();
  };
}
