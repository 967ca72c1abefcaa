// Fault: a second `tvd apply` (and a destroy) started while one runs is refused with the lock
// holder's details and changes nothing; the first finishes; the state is valid and true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { canRunLab, LAB_SKIP_REASON } from '../../lab/api.js';
import { writeTopology } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import { firstVmBegins, holdXl, labPrefix, oneTvd, reportRow, startTvd, stateTruth } from './fault-kit.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = labPrefix('r7l');

/** The state file once it records `n` resources (the writes of the steps already done have landed). */
async function settledState(path: string, n: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    try {
      const text = readFileSync(path, 'utf8');
      if ((JSON.parse(text) as { resources: unknown[] }).resources.length >= n) return text;
    } catch {
      /* not written yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the state never recorded ${n} resources`);
}

test('a second apply while one runs is refused with the holder; neither corrupts the state', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 90_000,
}, async (t) => {
  await withLabRun({ hosts: 2, prefix: PREFIX }, async ({ lab, dir, state, args }) => {
    const hosts = lab.hosts.map((h) => h.name);
    const path = writeTopology(dir, oneTvd(lab, 1));

    // Both hosts held at their VM: once the steps before are in the state file, it holds still.
    const releases = await Promise.all(hosts.map((h) => holdXl(PREFIX, h)));
    const first = startTvd(['apply', path, '--auto-approve', '--json', ...args]);
    t.after(() => void first.child.kill('SIGKILL'));
    await Promise.all(hosts.map((h) => first.waitForEvent(firstVmBegins(h))));
    const during = await settledState(state, hosts.length * 4); // 3 done + the VM under way, tainted

    const second = await tvd(['apply', path, '--auto-approve', ...args]);
    const destroy = await tvd(['destroy', path, '--auto-approve', ...args]);
    assert.equal(readFileSync(state, 'utf8'), during, 'the refused runs wrote nothing');
    for (const release of releases) await release();
    const r = await first.result;
    const truth = await stateTruth(state, PREFIX, hosts);
    reportRow(t, {
      area: 'fault',
      faults: 2,
      dataLost: truth.problems.length ? 1 : 0,
      note: 'apply and destroy started while an apply runs',
    });

    for (const refused of [second, destroy]) {
      assert.equal(refused.code, 1, refused.stdout + refused.stderr);
      assert.match(
        refused.stderr,
        new RegExp(
          `the state is locked by another run: lock ID [0-9a-f-]{36}, held by \\S+@\\S+ \\(pid ${first.child.pid}\\) for apply since \\d{4}-`,
        ),
        refused.stderr,
      );
    }
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(truth.problems, []);
    assert.ok(truth.state!.resources.length > 0 && truth.state!.resources.every((x) => x.status === 'applied'));
    assert.equal(existsSync(`${state}.lock`), false);
  });
});
