// The paper's example matrix on the lab: alpha-beta closed, alpha<->gamma and gamma->beta
// controlled, beta->gamma closed. Every ordered VM pair must match it exactly, and a pinned
// firewall on the other host makes the transit a VXLAN link between hosts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRunLab, LAB_SKIP_REASON } from '../../lab/api.js';
import { matrixTable, mismatchLine, mismatches, runTrafficMatrix } from '../../lab/traffic-matrix.js';
import { exampleOnLab } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = `t5p${process.pid % 1000}`;

test("paper-figure-1: the traffic matrix is the paper's, with firewalls on both hosts", {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 300_000,
}, async () => {
  await withLabRun({ hosts: 2, segments: 1, prefix: PREFIX }, async ({ lab, dir, args }) => {
    // gamma's firewall on the host alpha's is not on: a VXLAN transit between hosts.
    const { path, topology } = exampleOnLab('paper-figure-1', lab, dir, (t) => {
      t.tvds.alpha.firewall = lab.hosts[0].name;
      t.tvds.gamma.firewall = lab.hosts[1].name;
    });
    const plan = await tvd(['plan', path, '--json', ...args]);
    assert.equal(plan.code, 0, plan.stderr);
    const p = JSON.parse(plan.stdout) as { actions: { resource: { type: string }; after: { kind?: string } }[]; warnings: string[] };
    assert.ok(
      p.actions.some((a) => a.resource.type === 'transit' && a.after.kind === 'vxlan'),
      'a transit between hosts',
    );
    // The paper's caveat: alpha -> beta is closed, yet alpha -> gamma -> beta is not.
    assert.ok(
      p.warnings.some((w) => w.startsWith('alpha -> beta is closed, but information can flow from alpha to beta through gamma')),
      p.warnings.join('\n'),
    );

    const applied = await tvd(['apply', path, '--auto-approve', ...args]);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const results = await runTrafficMatrix(lab, topology);
    assert.deepEqual(mismatches(results).map(mismatchLine), [], matrixTable(results));
    // Spot checks of the paper's cells, beyond the oracle.
    const got = (from: string, to: string, probe: string) =>
      results.find((r) => r.from === from && r.to === to && r.probe === probe)!.actual;
    assert.equal(got('alpha-1', 'gamma-1', 'tcp/443'), true);
    assert.equal(got('alpha-1', 'gamma-1', 'tcp/22'), false);
    assert.equal(got('gamma-1', 'alpha-1', 'tcp/22'), true);
    assert.equal(got('alpha-1', 'beta-1', 'icmp'), false);
    assert.equal(got('beta-1', 'gamma-1', 'icmp'), false);
    assert.equal(got('gamma-1', 'beta-2', 'tcp/80'), true);

    assert.equal((await tvd(['plan', path, '--detailed-exitcode', ...args])).code, 0);
    assert.equal((await tvd(['destroy', path, '--auto-approve', ...args])).code, 0);
  });
});
