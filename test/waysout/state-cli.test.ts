// `tvd state list` and `tvd state rm` as a user runs them: with the file backend (backup beside
// the state, the lock respected, unknown addresses refused with nothing changed) and with
// PostgreSQL (the backup a state file in the working folder, named for the workspace).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyState } from '../../src/state/store.js';
import { acquireLock } from '../../src/state/lock.js';
import type { State } from '../../src/state/state.js';
import { pgSkipReason, startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { tvd } from '../support/tvd-cli.js';

const recorded = (): State => ({
  ...emptyState('lineage-wo'),
  serial: 6,
  resources: [
    { host: 'h1', type: 'proxy', name: 'h1', attrs: { a: 1 }, status: 'applied' },
    { host: 'h1', type: 'vm', name: 'web', attrs: { a: 2 }, status: 'applied' },
    { host: 'h1', type: 'vswitch', name: 't', attrs: { a: 3 }, status: 'applied' },
    { host: 'h3', type: 'vswitch', name: 't', attrs: { a: 4 }, status: 'tainted' },
  ],
});

test('state list and rm on the state file: addresses, prefixes, a backup first, the next serial, refusals', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-wo-state-'));
  try {
    const state = join(dir, 'state.json');
    writeFileSync(state, JSON.stringify(recorded()));
    const list = await tvd(['state', 'list', '--state', state]);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout, 'h1/proxy/h1\nh1/vswitch/t\nh1/vm/web\nh3/vswitch/t\n');
    assert.equal((await tvd(['state', 'list', 'h1/vm', 'h3', '--state', state])).stdout, 'h1/vm/web\nh3/vswitch/t\n');

    // Unknown: exit 1, the address named, nothing changed and no backup written.
    const unknown = await tvd(['state', 'rm', 'h1/vm/web', 'h1/vm/nope', '--state', state]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /the state has no record at h1\/vm\/nope .*Nothing was changed\./);
    assert.deepEqual(JSON.parse(readFileSync(state, 'utf8')), recorded());
    assert.ok(!existsSync(`${state}.backup`));
    assert.equal((await tvd(['state', 'rm', 'h1/bogus', '--state', state])).code, 1);

    // Held by another run: refused, naming it.
    const lock = await acquireLock(state, { operation: 'apply' });
    try {
      const held = await tvd(['state', 'rm', 'h3', '--state', state]);
      assert.equal(held.code, 1);
      assert.match(held.stderr, /locked/);
      assert.deepEqual(JSON.parse(readFileSync(state, 'utf8')), recorded());
    } finally {
      await lock.release();
    }

    const rm = await tvd(['state', 'rm', 'h3', 'h1/vm/web', '--state', state]);
    assert.equal(rm.code, 0, rm.stderr);
    assert.match(
      rm.stdout,
      /^Removed h1\/vm\/web\nRemoved h3\/vswitch\/t\nRemoved 2 records from the state \(serial 6 -> 7\)\. The previous state is in .*state\.json\.backup\.\nNo host was touched/,
    );
    const after = JSON.parse(readFileSync(state, 'utf8')) as State;
    assert.equal(after.serial, 7);
    assert.equal(after.lineage, 'lineage-wo');
    assert.deepEqual(
      after.resources.map((r) => `${r.host}/${r.type}/${r.name}`),
      ['h1/proxy/h1', 'h1/vswitch/t'],
    );
    assert.deepEqual(JSON.parse(readFileSync(`${state}.backup`, 'utf8')), recorded());
    assert.equal(existsSync(`${state}.lock`), false, 'the lock is released');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const skip = pgSkipReason();
let db: PgCluster | undefined;
before(async () => {
  if (!skip) db = await startPgCluster();
});
after(async () => {
  await db?.remove();
});

test('state rm with PostgreSQL: the backup is tvd-state.<workspace>.backup.json in the working folder', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-wo-pg-'));
  try {
    const env = { PGPASSWORD: db!.password };
    const local = join(dir, 'seed.json');
    writeFileSync(local, JSON.stringify(recorded()));
    const pg = ['--backend', db!.publicUrl, '--workspace', 'wo'];
    assert.equal((await tvd(['state', 'migrate', '--from', local, '--to', db!.publicUrl, '--workspace', 'wo'], { env })).code, 0);
    const rm = await tvd(['state', 'rm', 'h3', ...pg], { env, cwd: dir });
    assert.equal(rm.code, 0, rm.stderr);
    assert.match(rm.stdout, /Removed 1 record from the state \(serial 6 -> 7\)\. The previous state is in tvd-state\.wo\.backup\.json\./);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'tvd-state.wo.backup.json'), 'utf8')), recorded());
    assert.equal((await tvd(['state', 'list', ...pg], { env })).stdout, 'h1/proxy/h1\nh1/vswitch/t\nh1/vm/web\n');
    assert.ok(!(rm.stdout + rm.stderr).includes(db!.password));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
