// Two operators on one fleet: the state in PostgreSQL (a throwaway cluster, test/support/pg-cluster.ts),
// tvd run from different working folders as if from different machines, against lab hosts held
// at a step (fault-kit's holdXl). The cases: two applies race (one wins, the other names it);
// the holder is SIGKILLed (the lock is free at once, the state is its last commit, and the host
// lock keeps the next run off the host until the abandoned bundle ends); the database restarts
// mid-apply (the run fails clearly, nothing torn, the next apply converges); a saved plan made
// on one machine is refused on it once another machine applied. No password in any output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON, withLab, type LabInfo } from '../../lab/api.js';
import { postgresBackend } from '../../src/state/postgres-backend.js';
import type { State } from '../../src/state/state.js';
import { addressKey } from '../../src/address/address.js';
import type { Topology } from '../../src/topology/schema.js';
import { writeTopology } from '../support/example.js';
import { pgSkipReason, startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { tvd, type CliResult } from '../support/tvd-cli.js';
import {
  convergeAgain,
  firstVmBegins,
  holdXl,
  labPrefix,
  oneTvd,
  reportRow,
  startTvd,
  stateTruthOf,
  waitForQuiet,
  waitUntil,
} from './fault-kit.js';

const skip = canRunLab() ? pgSkipReason() : LAB_SKIP_REASON;
let db: PgCluster;

before(async () => {
  if (!skip) db = await startPgCluster();
});
after(async () => {
  await db?.remove();
});

/** A working folder with the topology, its backend block naming the database (no password) and a workspace. */
function folder(lab: LabInfo, workspace: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-pg-wd-'));
  const t: Topology = { ...oneTvd(lab, 2), backend: { type: 'postgres', url: db.publicUrl, workspace } };
  writeTopology(dir, t);
  return dir;
}

const ssh = (lab: LabInfo) => ['--known-hosts', lab.knownHosts, '--identity', lab.identity];
const withPassword = () => ({ env: { PGPASSWORD: db.password } });

async function readDb(workspace: string): Promise<State> {
  const b = postgresBackend({ type: 'postgres', url: db.url, schema: 'tvd', workspace });
  try {
    return await b.read();
  } finally {
    await b.close();
  }
}

async function dbShows(workspace: string, address: string, status: string): Promise<void> {
  await waitUntil(
    async () => (await readDb(workspace)).resources.some((r) => addressKey(r) === address && r.status === status),
    `the database records ${address} as ${status}`,
  );
}

/** Waits until PostgreSQL has ended the session of the run that holds (held) the workspace's lock. */
async function sessionGone(workspace: string): Promise<void> {
  const c = await db.client();
  try {
    const r = await c.query<{ pid: number }>(`SELECT (lock_holder->>'backendPid')::int AS pid FROM tvd.states WHERE workspace = $1`, [
      workspace,
    ]);
    await waitUntil(
      async () => (await c.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [r.rows[0].pid])).rowCount === 0,
      "PostgreSQL ends the killed run's session",
    );
  } finally {
    await c.end();
  }
}

function noPassword(...outs: CliResult[]): void {
  for (const o of outs) assert.ok(!(o.stdout + o.stderr).includes(db.password), `the password is in an output:\n${o.stdout}${o.stderr}`);
}

const dbName = () => `postgres://tvd@127\\.0\\.0\\.1:${db.port}/tvd`;

test('two tvd apply in different working folders race for one PostgreSQL state: exactly one wins, the other names the holder', {
  skip,
  timeout: 150_000,
}, async (t) => {
  await withLab({ hosts: 1, prefix: labPrefix('pgr') }, async (lab) => {
    const a = folder(lab, 'race');
    const b = folder(lab, 'race');
    t.after(() => [a, b].forEach((d) => rmSync(d, { recursive: true, force: true })));
    const release = await holdXl(labPrefix('pgr'), 'h1');
    // One has the password in PGPASSWORD, the other the whole URL in PG_CONN_STR.
    const ra = startTvd(['apply', 'topology.yaml', '--auto-approve', '--json', ...ssh(lab)], { cwd: a, ...withPassword() });
    const rb = startTvd(['apply', 'topology.yaml', '--auto-approve', '--json', ...ssh(lab)], { cwd: b, env: { PG_CONN_STR: db.url } });
    t.after(() => [ra, rb].forEach((r) => r.child.kill('SIGKILL')));
    const [loser, winner] = await Promise.race([ra.result.then(() => [ra, rb]), rb.result.then(() => [rb, ra])]);
    const lost = await loser.result;
    assert.equal(lost.code, 1, lost.stdout + lost.stderr);
    assert.match(
      lost.stderr,
      new RegExp(
        `the state \\(${dbName()} \\(workspace race\\)\\) is locked by another run: lock ID [0-9a-f-]{36}, held by \\S+ \\(pid ${winner.child.pid}\\) for apply since \\S+`,
      ),
    );
    await winner.waitForEvent(firstVmBegins('h1'));
    await release();
    const won = await winner.result;
    assert.equal(won.code, 0, won.stdout + won.stderr);
    noPassword(lost, won);
    assert.ok(!existsSync(join(a, '.tvd')) && !existsSync(join(b, '.tvd')), 'no state file in either working folder');
    const truth = await stateTruthOf(await readDb('race'), labPrefix('pgr'), ['h1']);
    reportRow(t, {
      area: 'fault',
      faults: 1,
      dataLost: truth.problems.length ? 1 : 0,
      note: 'two applies from two working folders, one PostgreSQL state',
    });
    assert.deepEqual(truth.problems, []);
    const plan = await tvd(['plan', 'topology.yaml', '--detailed-exitcode', ...ssh(lab)], { cwd: loser === ra ? a : b, ...withPassword() });
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  });
});

test('the lock holder SIGKILLed mid-apply: its lock is free at once, the state is its last commit, and its host stays locked until its bundle ends', {
  skip,
  timeout: 150_000,
}, async (t) => {
  const prefix = labPrefix('pgk');
  await withLab({ hosts: 1, prefix }, async (lab) => {
    const a = folder(lab, 'killed');
    const b = folder(lab, 'killed');
    t.after(() => [a, b].forEach((d) => rmSync(d, { recursive: true, force: true })));
    const release = await holdXl(prefix, 'h1');
    const run = startTvd(['apply', 'topology.yaml', '--auto-approve', '--json', ...ssh(lab)], { cwd: a, ...withPassword() });
    t.after(() => void run.child.kill('SIGKILL'));
    const begun = await run.waitForEvent(firstVmBegins('h1'));
    await dbShows('killed', begun.address!, 'tainted');
    const last = await readDb('killed');
    run.child.kill('SIGKILL');
    await run.result;
    await sessionGone('killed');
    // Another machine takes the state lock at once (no force-unlock); the abandoned bundle
    // still changes h1, so its refresh waits for the host lock and gives up naming that run.
    const next = await tvd(['apply', 'topology.yaml', '--auto-approve', '--host-lock-timeout', '1', ...ssh(lab)], {
      cwd: b,
      ...withPassword(),
    });
    assert.equal(next.code, 1, next.stdout + next.stderr);
    assert.doesNotMatch(next.stderr, /locked by another run/);
    assert.match(next.stderr, new RegExp(`host h1: busy: .*: apply by \\S+ \\(pid ${run.child.pid}, lock ID [0-9a-f-]{36}\\) since`));
    assert.deepEqual(await readDb('killed'), last, "the state is the killed run's last commit");
    await release();
    await waitForQuiet(prefix, 'h1');
    const truth = await stateTruthOf(await readDb('killed'), prefix, ['h1']);
    reportRow(t, {
      area: 'fault',
      faults: 1,
      dataLost: truth.problems.length ? 1 : 0,
      note: 'the PostgreSQL lock holder SIGKILLed mid-bundle',
    });
    assert.deepEqual(truth.problems, []);
    const again = await convergeAgain('topology.yaml', ssh(lab), { cwd: b, ...withPassword() });
    noPassword(next, again);
  });
});

test('the database restarts mid-apply: the run fails clearly, nothing is torn, the next apply converges', {
  skip,
  timeout: 150_000,
}, async (t) => {
  const prefix = labPrefix('pgd');
  await withLab({ hosts: 1, prefix }, async (lab) => {
    const a = folder(lab, 'restart');
    t.after(() => rmSync(a, { recursive: true, force: true }));
    const release = await holdXl(prefix, 'h1');
    const run = startTvd(['apply', 'topology.yaml', '--auto-approve', '--json', ...ssh(lab)], { cwd: a, ...withPassword() });
    t.after(() => void run.child.kill('SIGKILL'));
    const begun = await run.waitForEvent(firstVmBegins('h1'));
    await dbShows('restart', begun.address!, 'tainted');
    const last = await readDb('restart');
    await db.restart();
    await release();
    const failed = await run.result;
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    assert.match(
      failed.stderr,
      new RegExp(`Error: the state could not be recorded: lost the connection to the state database ${dbName()} \\(workspace restart\\)`),
    );
    assert.doesNotMatch(failed.stderr, /this is a bug|\n\s+at /, 'no stack trace');
    noPassword(failed);
    await waitForQuiet(prefix, 'h1');
    // Nothing torn: the state is whole, the last commit before the restart, and claims nothing
    // the host does not hold; what the host finished after it, the next refresh reads back.
    const after = await readDb('restart');
    assert.deepEqual(after, last);
    const truth = await stateTruthOf(after, prefix, ['h1']);
    const falseClaims = truth.problems.filter((p) => !p.endsWith('on the host, missing from the state'));
    reportRow(t, {
      area: 'fault',
      faults: 1,
      dataLost: falseClaims.length ? 1 : 0,
      note: `PostgreSQL restarted mid-bundle; ${truth.problems.length - falseClaims.length} step(s) the host finished after it were read back by the next apply`,
    });
    assert.deepEqual(falseClaims, []);
    await convergeAgain('topology.yaml', ssh(lab), { cwd: a, ...withPassword() });
  });
});

test('a saved plan made on one machine is refused there once another machine applied to the same PostgreSQL state', {
  skip,
  timeout: 150_000,
}, async (t) => {
  await withLab({ hosts: 1, prefix: labPrefix('pgs') }, async (lab) => {
    const a = folder(lab, 'saved');
    const b = folder(lab, 'saved');
    t.after(() => [a, b].forEach((d) => rmSync(d, { recursive: true, force: true })));
    const pa = await tvd(['plan', 'topology.yaml', '--out', 'a.plan', ...ssh(lab)], { cwd: a, ...withPassword() });
    assert.equal(pa.code, 0, pa.stdout + pa.stderr);
    const saved = JSON.parse(readFileSync(join(a, 'a.plan'), 'utf8'));
    assert.deepEqual(saved.backend, {
      type: 'postgres',
      url: `postgres://tvd@127.0.0.1:${db.port}/tvd`,
      schema: 'tvd',
      workspace: 'saved',
    });
    const pb = await tvd(['plan', 'topology.yaml', '--out', 'b.plan', ...ssh(lab)], {
      cwd: b,
      env: { PG_CONN_STR: db.url, TVD_WORKSPACE: 'saved' },
    });
    assert.equal(pb.code, 0, pb.stdout + pb.stderr);
    assert.ok(!readFileSync(join(b, 'b.plan'), 'utf8').includes(db.password), 'a saved plan holds no password');
    const ab = await tvd(['apply', 'b.plan', ...ssh(lab)], { cwd: b, ...withPassword() });
    assert.equal(ab.code, 0, ab.stdout + ab.stderr);
    // Machine A's plan knows its backend: no flags needed to find the state, which moved.
    const aa = await tvd(['apply', 'a.plan', ...ssh(lab)], { cwd: a, ...withPassword() });
    assert.equal(aa.code, 1);
    assert.match(
      aa.stderr,
      /the saved plan a\.plan is stale: the state changed since the plan was made \(it was at serial 0, it is at 1\)/,
    );
    const elsewhere = await tvd(['apply', 'a.plan', '--workspace', 'other', ...ssh(lab)], { cwd: a, ...withPassword() });
    assert.match(elsewhere.stderr, /the saved plan was made against .*workspace saved.*this run would use .*workspace other/);
    const show = await tvd(['show', '--backend', db.publicUrl, '--workspace', 'saved'], withPassword());
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`serial 1, lineage \\S+, in ${dbName()} \\(workspace saved\\)`));
    assert.match(show.stdout, /h1\/vm\/h1-v0/);
    reportRow(t, { area: 'fault', faults: 1, dataLost: 0, note: 'a stale saved plan, two working folders, one PostgreSQL state' });
    noPassword(pa, pb, ab, aa, elsewhere, show);
  });
});
