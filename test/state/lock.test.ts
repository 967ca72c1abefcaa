// The state lock between real processes: contention, release on exit, stale locks, force-unlock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireLock, forceUnlock, LockHeldError, readLock, type LockInfo } from '../../src/state/lock.js';
import { UserError } from '../../src/errors/user-error.js';

const holderScript = fileURLToPath(new URL('./fixtures/lock-holder.js', import.meta.url));

function startHolder(
  statePath: string,
  mode: 'hold' | 'exit',
): { child: ChildProcess; info: Promise<LockInfo>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [holderScript, statePath, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const info = new Promise<LockInfo>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as LockInfo));
    child.once('exit', (code) => reject(new Error(`holder exited (${code}) before locking`)));
  });
  return { child, info, exited };
}

async function held(p: Promise<unknown>): Promise<LockHeldError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof LockHeldError && err instanceof UserError, String(err));
    return err;
  }
  assert.fail('expected the lock to be held');
}

test('a second process is refused with the holder; the lock is released on exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-lock-'));
  const statePath = join(dir, '.tvd', 'state.json');
  const h = startHolder(statePath, 'hold');
  try {
    const info = await h.info;
    assert.equal(info.operation, 'apply');
    assert.equal(info.pid, h.child.pid);
    assert.match(info.who, new RegExp(`@${hostname()}$`));
    const e = await held(acquireLock(statePath, { operation: 'plan' }));
    assert.equal(e.stale, false);
    assert.deepEqual(e.holder, info);
    assert.match(
      e.message,
      new RegExp(`locked by another run: lock ID ${info.id}, held by ${info.who} \\(pid ${info.pid}\\) for apply since`),
    );
    assert.match(e.message, new RegExp(`tvd force-unlock ${info.id}`));
  } finally {
    h.child.kill('SIGKILL');
    await h.exited;
  }
  rmSync(join(dir, '.tvd', 'state.json.lock'), { force: true });
  // Normal exit releases the lock.
  const h2 = startHolder(statePath, 'exit');
  await h2.info;
  assert.equal(await h2.exited, 0);
  assert.equal(existsSync(join(dir, '.tvd', 'state.json.lock')), false);
  const mine = await acquireLock(statePath, { operation: 'apply' });
  await mine.release();
  await mine.release();
  assert.equal(await readLock(statePath), undefined);
  rmSync(dir, { recursive: true, force: true });
});

test('two processes racing for the lock: exactly one wins', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-lock-'));
  const statePath = join(dir, 'state.json');
  try {
    for (let round = 0; round < 5; round++) {
      const a = startHolder(statePath, 'hold');
      const b = startHolder(statePath, 'hold');
      const results = await Promise.allSettled([a.info, b.info]);
      try {
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `round ${round}`);
      } finally {
        for (const h of [a, b]) h.child.kill('SIGKILL');
        await Promise.all([a.exited, b.exited]);
      }
      rmSync(join(dir, 'state.json.lock'), { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock whose holder died is reported as stale; force-unlock removes it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-lock-'));
  const statePath = join(dir, 'state.json');
  try {
    const h = startHolder(statePath, 'hold');
    const info = await h.info;
    h.child.kill('SIGKILL');
    await h.exited;
    const e = await held(acquireLock(statePath, { operation: 'apply' }));
    assert.equal(e.stale, true);
    assert.match(e.message, /stale lock/);
    assert.match(e.message, new RegExp(`tvd force-unlock ${info.id}`));
    await assert.rejects(forceUnlock(statePath, 'not-the-id'), /does not match/);
    assert.deepEqual(await forceUnlock(statePath, info.id), info);
    await assert.rejects(forceUnlock(statePath, info.id), /is not locked/);
    const mine = await acquireLock(statePath, { operation: 'apply' });
    await mine.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('release does not remove a lock that someone else took after a force-unlock', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-lock-'));
  const statePath = join(dir, 'state.json');
  try {
    const first = await acquireLock(statePath, { operation: 'apply' });
    await forceUnlock(statePath, first.info.id);
    const second = await acquireLock(statePath, { operation: 'apply' });
    await first.release();
    assert.equal((await readLock(statePath))?.id, second.info.id);
    await second.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
