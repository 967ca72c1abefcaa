// The state lock: `state.json.lock` beside the state, created exclusively, holding who has it.
// The lock file is written in full to a temp file and then hard-linked into place: link(2) fails
// if the lock exists, so taking it is atomic and a reader never sees a half-written holder.
import { randomUUID } from 'node:crypto';
import { unlinkSync, readFileSync } from 'node:fs';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { UserError } from '../errors/user-error.js';
import { processAlive } from './store.js';

export interface LockInfo {
  id: string;
  /** user@hostname */
  who: string;
  pid: number;
  /** The hostname alone, to tell whether `pid` can be checked here. */
  host: string;
  operation: string;
  /** RFC 3339. */
  created: string;
}

export interface Lock {
  readonly info: LockInfo;
  readonly path: string;
  /** Remove the lock if it is still ours. Safe to call twice. */
  release(): Promise<void>;
  /** The same, synchronously: for `process.on('exit')` and signal handlers. */
  releaseSync(): void;
}

/** The lock is held by someone else. `stale`: its holder was a process on this machine that is gone. */
export class LockHeldError extends UserError {
  constructor(
    readonly lockPath: string,
    readonly holder: LockInfo | undefined,
    readonly stale: boolean,
  ) {
    super(describeHeld(lockPath, holder, stale));
    this.name = 'LockHeldError';
  }
}

export function lockPathFor(statePath: string): string {
  return `${statePath}.lock`;
}

/**
 * Take the lock for one run. The lock is also released when the process exits normally; a
 * SIGINT handler should stop new work, write the state, then call `release()` itself.
 */
export async function acquireLock(statePath: string, opts: { operation: string }): Promise<Lock> {
  const path = lockPathFor(statePath);
  await mkdir(dirname(path), { recursive: true });
  const info = newLockInfo(opts.operation);
  const tmp = `${path}.${info.id}.tmp`;
  const fh = await open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(JSON.stringify(info, null, 2) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = await readLock(statePath);
    throw new LockHeldError(path, holder, holder !== undefined && isStale(holder));
  } finally {
    await unlink(tmp).catch(() => {});
  }
  let released = false;
  const releaseSync = () => {
    if (released) return;
    released = true;
    process.off('exit', releaseSync);
    if (readLockSync(path)?.id === info.id) {
      try {
        unlinkSync(path);
      } catch {
        /* already removed (force-unlock) */
      }
    }
  };
  process.on('exit', releaseSync);
  return {
    info,
    path,
    release: async () => releaseSync(),
    releaseSync,
  };
}

/** Who this process is, as a lock holder (every backend names its holders so). */
export function newLockInfo(operation: string): LockInfo {
  const me = hostname();
  return { id: randomUUID(), who: `${safeUser()}@${me}`, pid: process.pid, host: me, operation, created: new Date().toISOString() };
}

/** Who holds the lock, or undefined when it is free. An unreadable lock file is still a lock. */
export async function readLock(statePath: string): Promise<LockInfo | undefined> {
  let text: string;
  try {
    text = await readFile(lockPathFor(statePath), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseLock(text) ?? { id: '?', who: '?', pid: 0, host: '?', operation: '?', created: '?' };
}

/** The holder ran on this machine and its process is gone. Locks from other machines are never judged stale. */
export function isStale(holder: LockInfo): boolean {
  return holder.host === hostname() && holder.pid > 0 && !processAlive(holder.pid);
}

/** `tvd force-unlock ID`: remove the lock if ID names its current holder. */
export async function forceUnlock(statePath: string, id: string): Promise<LockInfo> {
  const holder = await readLock(statePath);
  if (!holder) throw new UserError(`${statePath} is not locked`);
  if (holder.id !== id && holder.id !== '?') {
    throw new UserError(`lock ID ${id} does not match the lock on ${statePath}, which is ${holder.id} (held by ${holder.who})`);
  }
  await unlink(lockPathFor(statePath)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  return holder;
}

function readLockSync(path: string): LockInfo | undefined {
  try {
    return parseLock(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const d = JSON.parse(text) as Partial<LockInfo>;
    if (typeof d.id !== 'string' || typeof d.pid !== 'number') return undefined;
    return {
      id: d.id,
      who: String(d.who ?? '?'),
      pid: d.pid,
      host: String(d.host ?? '?'),
      operation: String(d.operation ?? '?'),
      created: String(d.created ?? '?'),
    };
  } catch {
    return undefined;
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? String(process.getuid?.() ?? '?');
  }
}

function describeHeld(lockPath: string, h: LockInfo | undefined, stale: boolean): string {
  if (!h || h.id === '?') {
    return `the state is locked (${lockPath} exists but cannot be read). If no tvd is running, delete ${lockPath}.`;
  }
  const details = `lock ID ${h.id}, held by ${h.who} (pid ${h.pid}) for ${h.operation} since ${h.created}`;
  if (stale) {
    return (
      `the state is locked by a run that is no longer running (stale lock: pid ${h.pid} is gone on this machine): ${details}. ` +
      `Check what that run did (tvd plan), then remove the lock with: tvd force-unlock ${h.id}`
    );
  }
  return `the state is locked by another run: ${details}. Wait for it to finish; if it is not running any more, remove the lock with: tvd force-unlock ${h.id}`;
}
