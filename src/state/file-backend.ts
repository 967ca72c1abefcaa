// The default backend: the state file and its lock file beside it (store.ts, lock.ts), unchanged.
import type { StateBackend } from './backend.js';
import { acquireLock, forceUnlock } from './lock.js';
import { readState, writeState } from './store.js';

export function fileBackend(path: string): StateBackend {
  return {
    name: path,
    lock: (operation) => acquireLock(path, { operation }),
    read: () => readState(path),
    write: (state) => writeState(path, state),
    forceUnlock: (id) => forceUnlock(path, id),
    close: async () => {},
  };
}
