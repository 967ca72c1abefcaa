// The PostgreSQL backend against a real server (a throwaway cluster, test/support/pg-cluster.ts):
// the advisory lock between processes, a holder killed with SIGKILL, a write that lost a race,
// workspaces, a restart of the database, and no password in any message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresBackend, LOCK_CLASS, StateConnectionLost } from '../../src/state/postgres-backend.js';
import { emptyState } from '../../src/state/store.js';
import type { State } from '../../src/state/state.js';
import { UserError } from '../../src/errors/user-error.js';
import { pgSkipReason, startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { tvd } from '../support/tvd-cli.js';

const skip = pgSkipReason();
const holderScript = fileURLToPath(new URL('./fixtures/pg-lock-holder.js', import.meta.url));
let db: PgCluster;

before(async () => {
  if (!skip) db = await startPgCluster();
});
after(async () => {
  await db?.remove();
});

const backend = (workspace: string, url = db.url) => postgresBackend({ type: 'postgres', url, schema: 'tvd', workspace });

interface Holder {
  child: ReturnType<typeof spawn>;
  said: Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startHolder(workspace: string, mode: 'hold' | 'write'): Holder {
  const child = spawn(process.execPath, [holderScript, db.url, workspace, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const said = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(d.toString())));
    child.once('exit', (code) => reject(new Error(`holder exited (${code}) before saying anything`)));
  });
  return { child, said, exited };
}

/** Waits until PostgreSQL has ended the session of the run that holds (held) the workspace's lock. */
async function sessionGone(workspace: string): Promise<void> {
  const c = await db.client();
  try {
    const r = await c.query<{ pid: number }>(`SELECT (lock_holder->>'backendPid')::int AS pid FROM tvd.states WHERE workspace = $1`, [
      workspace,
    ]);
    const pid = r.rows[0]?.pid;
    for (let i = 0; i < 200; i++) {
      if ((await c.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`PostgreSQL never ended session ${pid}`);
  } finally {
    await c.end();
  }
}

function withResources(s: State, n: number): State {
  return {
    ...s,
    resources: Array.from({ length: n }, (_, i) => ({
      host: 'h1',
      type: 'vswitch' as const,
      name: `t${i}`,
      attrs: { i },
      status: 'applied' as const,
    })),
  };
}

test('two processes racing for the PostgreSQL lock: exactly one wins, the other names the holder', { skip }, async () => {
  for (let round = 0; round < 5; round++) {
    const a = startHolder('race', 'hold');
    const b = startHolder('race', 'hold');
    try {
      const said = await Promise.all([a.said, b.said]);
      const winners = said.filter((s) => !('refused' in s));
      const losers = said.filter((s) => 'refused' in s);
      assert.equal(winners.length, 1, `round ${round}: ${JSON.stringify(said)}`);
      const w = winners[0];
      assert.match(
        String(losers[0].refused),
        new RegExp(
          `locked by another run: lock ID ${w.id}, held by ${String(w.who).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pid ${w.pid}\\) for apply since`,
        ),
      );
      assert.ok(!String(losers[0].refused).includes(db.password), 'the password is in the message');
    } finally {
      for (const h of [a, b]) h.child.kill('SIGKILL');
      await Promise.all([a.exited, b.exited]);
    }
    await sessionGone('race');
  }
});

test('a holder killed with SIGKILL: the lock is free once its session ends, and the state is its last commit', { skip }, async () => {
  const h = startHolder('killed', 'write');
  const info = await h.said;
  const other = backend('killed');
  const refused = await other.lock('apply').then(
    () => undefined,
    (e: Error) => e,
  );
  await other.close();
  assert.ok(refused instanceof UserError, 'the lock is held while the holder lives');
  assert.match(refused.message, new RegExp(`lock ID ${info.id}`));
  h.child.kill('SIGKILL');
  await h.exited;
  await sessionGone('killed');
  const b = backend('killed');
  try {
    const lock = await b.lock('apply');
    const s = await b.read();
    assert.equal(s.serial, 1, 'the last commit of the killed run');
    await lock.release();
  } finally {
    await b.close();
  }
});

test('a write that lost a race is refused, never merged; the winner goes on writing its serial', { skip }, async () => {
  const a = backend('lost-race');
  const b = backend('lost-race');
  try {
    const sa = await a.read();
    const sb = await b.read();
    await a.write(withResources({ ...sa, serial: 1 }, 1));
    // b read no state, and a wrote one meanwhile.
    await assert.rejects(b.write(withResources({ ...sb, serial: 1 }, 2)), /refusing to write the state to .*another run wrote a state/);
    // a rewrites its own serial as steps finish (what apply does), and raises it on its next run.
    await a.write(withResources({ ...sa, serial: 1 }, 3));
    const fresh = await b.read();
    assert.equal(fresh.serial, 1);
    assert.equal(fresh.resources.length, 3, "a's last write, not b's");
    // Now both have read serial 1; a moves on to 2 and b's 2 is refused.
    const sa2 = await a.read();
    await a.write({ ...sa2, serial: 2 });
    await assert.rejects(b.write({ ...fresh, serial: 2 }), /another run's|moved since this run read it/);
    // Another lineage is another state, whatever its serial.
    const c = backend('lost-race');
    await c.read();
    await assert.rejects(c.write({ ...emptyState(), serial: 3 }), /another state .* never merged/);
    await c.close();
    assert.equal((await a.read()).serial, 2);
  } finally {
    await a.close();
    await b.close();
  }
});

test('workspaces are separate states in one database, each with its own lock', { skip }, async () => {
  const x = backend('ws-x');
  const y = backend('ws-y');
  try {
    const lx = await x.lock('apply');
    const ly = await y.lock('apply');
    await x.write(withResources({ ...(await x.read()), serial: 1 }, 1));
    await y.write(withResources({ ...(await y.read()), serial: 1 }, 2));
    const [rx, ry] = [await x.read(), await y.read()];
    assert.notEqual(rx.lineage, ry.lineage);
    assert.deepEqual([rx.resources.length, ry.resources.length], [1, 2]);
    await lx.release();
    await ly.release();
    assert.ok(x.name.includes('workspace ws-x') && !x.name.includes(db.password));
  } finally {
    await x.close();
    await y.close();
  }
});

test('the database restarting ends the run clearly: the lock went with the connection, the state is the last commit', {
  skip,
}, async () => {
  const a = backend('restart');
  try {
    await a.lock('apply');
    await a.write(withResources({ ...(await a.read()), serial: 1 }, 1));
    const s1 = await a.read();
    await db.restart();
    const e = await a.write(withResources(s1, 2)).then(
      () => undefined,
      (err: Error) => err,
    );
    assert.ok(e instanceof StateConnectionLost, String(e));
    assert.match(e.message, /lost the connection to the state database postgres:\/\/tvd@127\.0\.0\.1:\d+\/tvd \(workspace restart\)/);
    assert.ok(!e.message.includes(db.password));
  } finally {
    await a.close();
  }
  const b = backend('restart');
  try {
    const lock = await b.lock('apply');
    const s = await b.read();
    assert.deepEqual([s.serial, s.resources.length], [1, 1]);
    await lock.release();
  } finally {
    await b.close();
  }
});

test('no message carries the password: a wrong one, an unreachable server, a refused lock', { skip }, async () => {
  const wrong = backend('pw', db.url.replace(db.password, `${db.password}x`));
  const e1 = await wrong.read().then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(e1 instanceof UserError);
  assert.match(
    e1.message,
    /cannot reach the state database postgres:\/\/tvd@127\.0\.0\.1:\d+\/tvd \(workspace pw\): password authentication failed/,
  );
  assert.ok(!e1.message.includes(db.password));
  await wrong.close();
  const gone = backend('pw', `postgres://tvd:${db.password}@127.0.0.1:1/tvd`);
  const e2 = await gone.read().then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(e2 instanceof UserError && /cannot reach the state database postgres:\/\/tvd@127\.0\.0\.1:1\/tvd/.test(e2.message), String(e2));
  assert.ok(!e2.message.includes(db.password));
  await gone.close();
  // The lock table's holder records carry no connection string either.
  const c = await db.client();
  try {
    const rows = await c.query('SELECT lock_holder::text AS h, state::text AS s FROM tvd.states');
    assert.ok(!JSON.stringify(rows.rows).includes(db.password));
    assert.equal(LOCK_CLASS, 0x747664);
  } finally {
    await c.end();
  }
});

test('tvd state migrate moves a state with its serial and lineage, and refuses a target that holds another', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-migrate-'));
  try {
    const env = { PGPASSWORD: db.password };
    const local = join(dir, 'state.json');
    const mine = withResources({ ...emptyState('lineage-mine'), serial: 7 }, 2);
    writeFileSync(local, JSON.stringify(mine));
    const to = ['--to', db.publicUrl, '--workspace', 'migrated'];
    const moved = await tvd(['state', 'migrate', '--from', local, ...to], { env });
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(
      moved.stdout,
      new RegExp(
        `Copied the state \\(lineage lineage-mine, serial 7, 2 resources\\) from ${local} to postgres://tvd@127\\.0\\.0\\.1:${db.port}/tvd \\(workspace migrated\\)`,
      ),
    );
    const shown = await tvd(['show', '--json', '--backend', db.publicUrl, '--workspace', 'migrated'], { env });
    assert.deepEqual(JSON.parse(shown.stdout), mine);
    assert.match((await tvd(['state', 'migrate', '--from', local, ...to], { env })).stdout, /holds the state .* already: nothing to do/);
    // Another state (another lineage) is refused, and the target keeps its own.
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ ...emptyState('lineage-other'), serial: 9 }));
    const refused = await tvd(['state', 'migrate', '--from', other, ...to], { env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cannot migrate .*: the target holds another state \(lineage lineage-mine, serial 7\)/);
    // And back into a new file, with the URL (and its password) given whole: the password shows nowhere.
    const back = join(dir, 'back.json');
    const home = await tvd(['state', 'migrate', '--from', db.url, '--to', back, '--workspace', 'migrated']);
    assert.equal(home.code, 0, home.stderr);
    assert.deepEqual(JSON.parse(readFileSync(back, 'utf8')), mine);
    for (const r of [moved, shown, refused, home]) assert.ok(!(r.stdout + r.stderr).includes(db.password));
    // The file backend still has force-unlock; PostgreSQL needs none, and says why.
    const fu = await tvd(['force-unlock', 'x', '--backend', db.publicUrl], { env });
    assert.match(fu.stderr, /needs no force-unlock: PostgreSQL frees a run's lock as soon as its connection ends/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
