// Fault: tvd is killed (SIGKILL) while a host is mid-bundle, and the bundle, held at a step,
// still runs on the host when the next apply starts (here after a force-unlock of the stale
// state lock; with the PostgreSQL backend the state lock is free at once). The bundle holds the
// host's lock (/run/tvd/lock), so the next run's refresh does not read the host's manifest in the
// middle of the change: with a short --host-lock-timeout it fails naming the abandoned run, and
// one that waits long enough goes on once the bundle ends, and converges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canRunLab, LAB_SKIP_REASON } from '../../lab/api.js';
import { hostProcesses } from '../../lab/sshd-control.js';
import { readLock } from '../../src/state/lock.js';
import { writeTopology } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import { firstVmBegins, holdXl, labPrefix, oneTvd, reportRow, startTvd, stateTruth, waitForQuiet, waitUntil } from './fault-kit.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = labPrefix('pgh');

test('an abandoned bundle still running holds its host: the next apply waits, fails naming it, and converges once it ends', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 150_000,
}, async (t) => {
  await withLabRun({ hosts: 1, prefix: PREFIX }, async ({ lab, dir, state, args }) => {
    const path = writeTopology(dir, oneTvd(lab, 2));

    const release = await holdXl(PREFIX, 'h1');
    const run = startTvd(['apply', path, '--auto-approve', '--json', ...args]);
    t.after(() => void run.child.kill('SIGKILL'));
    await run.waitForEvent(firstVmBegins('h1'));
    const held = await readLock(state);
    run.child.kill('SIGKILL');
    await run.result;
    assert.ok(hostProcesses(PREFIX, 'h1', 'sh').length > 0, 'the abandoned bundle still runs on h1');

    // The operator sees the stale state lock and removes it, while the bundle still runs.
    assert.equal((await tvd(['force-unlock', held!.id, '--state', state])).code, 0);
    const before = readFileSync(state, 'utf8');
    const refused = await tvd(['apply', path, '--auto-approve', '--host-lock-timeout', '1', ...args]);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(
        `host h1: busy: another tvd run holds its lock \\(/run/tvd/lock\\) and did not let go within 1 s: apply by \\S+ \\(pid ${run.child.pid}, lock ID ${held!.id}\\) since \\S+, whose script is pid \\d+ on this host`,
      ),
    );
    assert.match(refused.stderr, /Nothing was changed/);
    assert.equal(readFileSync(state, 'utf8'), before, 'the refused run wrote nothing');

    // A run that waits long enough reads the host once the bundle has ended.
    const waiting = startTvd(['apply', path, '--auto-approve', '--host-lock-timeout', '90', ...args]);
    t.after(() => void waiting.child.kill('SIGKILL'));
    await waitUntil(() => hostProcesses(PREFIX, 'h1', 'flock').length > 0, 'the second apply waits for the host lock on h1');
    await release();
    const done = await waiting.result;
    assert.equal(done.code, 0, done.stdout + done.stderr);
    await waitForQuiet(PREFIX, 'h1');
    const truth = await stateTruth(state, PREFIX, ['h1']);
    reportRow(t, {
      area: 'fault',
      faults: 1,
      dataLost: truth.problems.length ? 1 : 0,
      note: 'tvd SIGKILLed mid-bundle, the bundle still running when the next apply starts',
    });
    assert.deepEqual(truth.problems, []);
    const plan = await tvd(['plan', path, '--detailed-exitcode', ...args]);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.equal((await tvd(['verify', path, ...args])).code, 0);
  });
});
