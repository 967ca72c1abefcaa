// Fault: every sshd of one of 5 hosts is killed while that host's bundle is under way (held at
// its first `xl create`, so the kill lands after some steps and before others). The other hosts
// finish; the state records exactly what the broken host did; tvd exits 1 naming it; once sshd
// is back, one apply converges and the plan is empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRunLab, LAB_SKIP_REASON } from '../../lab/api.js';
import { killSshd, startSshd } from '../../lab/sshd-control.js';
import { writeTopology } from '../support/example.js';
import { convergeAgain, firstVmBegins, holdXl, labPrefix, oneTvd, reportRow, resourcesOf, startTvd, stateTruth } from './fault-kit.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = labPrefix('r7s');
const VICTIM = 'h3';

test('sshd killed on one of 5 hosts mid-apply: others finish, state true, exit 1 naming it, then converges', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 120_000,
}, async (t) => {
  await withLabRun({ hosts: 5, prefix: PREFIX }, async ({ lab, dir, state, args }) => {
    const hosts = lab.hosts.map((h) => h.name);
    const path = writeTopology(dir, oneTvd(lab, 2));

    const release = await holdXl(PREFIX, VICTIM);
    const run = startTvd(['apply', path, '--auto-approve', '--json', ...args]);
    t.after(() => void run.child.kill('SIGKILL'));
    await run.waitForEvent(firstVmBegins(VICTIM));
    await killSshd(PREFIX, VICTIM);
    const r = await run.result;
    const truth = await stateTruth(state, PREFIX, hosts);
    await release();
    reportRow(t, { area: 'fault', faults: 1, dataLost: truth.problems.length ? 1 : 0, note: 'sshd of 1 of 5 hosts killed mid-bundle' });

    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`Error: host ${VICTIM}\\b`), r.stderr);
    assert.deepEqual(truth.problems, [], 'the state is true to every host');
    for (const h of hosts.filter((x) => x !== VICTIM)) {
      assert.deepEqual(
        resourcesOf(truth.state, h),
        [
          `${h}/proxy/${h} applied`,
          `${h}/vswitch/t applied`,
          `${h}/encap/t applied`,
          `${h}/vm/${h}-v0 applied`,
          `${h}/vm/${h}-v1 applied`,
        ].sort(),
        `${h} finished`,
      );
    }
    // The victim: everything before its first VM done, that VM cut short, nothing after it.
    assert.deepEqual(resourcesOf(truth.state, VICTIM), [
      `${VICTIM}/encap/t applied`,
      `${VICTIM}/proxy/${VICTIM} applied`,
      `${VICTIM}/vm/${VICTIM}-v0 tainted`,
      `${VICTIM}/vswitch/t applied`,
    ]);

    await startSshd(PREFIX, VICTIM);
    const again = await convergeAgain(path, args);
    assert.match(again.stdout, new RegExp(`${VICTIM}/vm/${VICTIM}-v0`));
    const after = await stateTruth(state, PREFIX, hosts);
    assert.deepEqual(after.problems, []);
    assert.ok(after.state!.resources.every((x) => x.status === 'applied'));
  });
});
