// The state stage's one interface: where the state lives, how a run locks it, and how it is read
// and written. Two backends implement it: the local file (file-backend.ts, the default) and
// PostgreSQL (postgres-backend.ts). Everything above the state stage (the CLI) talks to this
// interface only; the planner never sees a backend, only the State it read.
import type { State } from './state.js';
import type { LockInfo } from './lock.js';

/** The lock one run holds on the state while it changes hosts and records what they did. */
export interface StateLock {
  readonly info: LockInfo;
  /** Give the lock up. Safe to call twice. */
  release(): Promise<void>;
  /** The same, for signal handlers just before process.exit (a backend may rely on the exit itself). */
  releaseSync(): void;
}

export interface StateBackend {
  /** How messages name it: a path, or a URL without its password plus the workspace. Never a secret. */
  readonly name: string;
  /** Take the lock for one run, or fail at once naming the holder. */
  lock(operation: string): Promise<StateLock>;
  /** The recorded state; an empty one (serial 0, a new lineage) where none was written yet. */
  read(): Promise<State>;
  /** Replace the state with exactly `state` (the caller bumps the serial). */
  write(state: State): Promise<void>;
  /** `tvd force-unlock ID`: remove a lock left behind, where the backend can leave one. */
  forceUnlock(id: string): Promise<LockInfo>;
  /** Close connections; releases nothing a run still holds on purpose. */
  close(): Promise<void>;
}
