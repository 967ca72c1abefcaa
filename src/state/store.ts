// The state file on disk: read and validate, and replace atomically. A write goes to a temp file
// in the same folder, is fsynced, renamed over the old file and the folder fsynced, so a crash
// at any instant leaves either the old state or the new one, never a truncated file.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors/user-error.js';
import { stateProblems } from './check-state.js';
import { emptyAllocations, type State } from './state.js';

export const DEFAULT_STATE_PATH = '.tvd/state.json';

export function emptyState(lineage: string = randomUUID()): State {
  return { formatVersion: 1, lineage, serial: 0, resources: [], allocations: emptyAllocations() };
}

/** A missing file is an empty state with a new lineage and serial 0; anything unreadable is a UserError. */
export async function readState(path: string): Promise<State> {
  let text: string;
  try {
    // Sync: the promise API reads a 10 MB state in 512 KB chunks through a decoder, 8 ms more.
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new UserError(`${path}: cannot read the state (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: the state file is corrupt: not valid JSON (${(err as Error).message})`);
  }
  const problems = stateProblems(data);
  if (problems.length) throw new UserError(`${path}: the state file is corrupt: ${problems.slice(0, 3).join('; ')}`);
  return data as State;
}

/** Replace the state file with exactly `state` (the caller bumps `serial`). Refuses to write an invalid state. */
export async function writeState(path: string, state: State): Promise<void> {
  const problems = stateProblems(state);
  if (problems.length) throw new Error(`refusing to write an invalid state to ${path}: ${problems.join('; ')}`);
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  await removeAbandonedTemps(dir, basename(path));
  const tmp = join(dir, tempName(basename(path), process.pid));
  const fh = await open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(JSON.stringify(state, null, 2) + '\n', 'utf8');
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  // The rename is durable only once the folder's entry is on disk.
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

function tempName(base: string, pid: number): string {
  return `.${base}.${pid}.${randomUUID().slice(0, 8)}.tmp`;
}

/** Temp files of writers that died before their rename (on this machine): nothing will finish them. */
async function removeAbandonedTemps(dir: string, base: string): Promise<void> {
  const re = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
  for (const name of await readdir(dir)) {
    const m = re.exec(name);
    if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) await unlink(join(dir, name)).catch(() => {});
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
