// `tvd apply FILE --capabilities DIR --refresh=false`: planned from capability files and the
// trusted state, so only the hosts with changes are talked to. Shown with a host whose sshd is
// down: a refreshed plan fails on it, the offline apply of a change elsewhere succeeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON, hostExec, type LabInfo } from '../../lab/api.js';
import type { Topology } from '../../src/topology/schema.js';
import { writeTopology } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import { killSshd, startSshd } from '../../lab/sshd-control.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = `t5f${process.pid % 1000}`;

function topology(lab: LabInfo, memory: number): Topology {
  const [h1, h2] = lab.hosts;
  return {
    version: 1,
    tvds: { web: { subnet: '198.19.60.0/24' } },
    hosts: Object.fromEntries(
      lab.hosts.map((h) => [h.name, { address: h.address, port: h.port, user: h.user, uplink: 'eth0', segment: h.segment }]),
    ),
    vms: {
      w1: { host: h1.name, memory, start: false, nics: [{ tvd: 'web', ip: '198.19.60.10' }] },
      w2: { host: h2.name, memory: 128, start: false, nics: [{ tvd: 'web', ip: '198.19.60.11' }] },
    },
  };
}

test('apply --capabilities --refresh=false talks only to the hosts with changes', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 300_000,
}, async () => {
  await withLabRun({ hosts: 2, segments: 1, prefix: PREFIX }, async ({ lab, dir, args }) => {
    const first = writeTopology(dir, topology(lab, 128), 'first.yaml');
    const changed = writeTopology(dir, topology(lab, 256), 'changed.yaml');
    const caps = join(dir, 'caps');
    assert.equal((await tvd(['apply', first, '--auto-approve', ...args])).code, 0);
    const collected = await tvd(['capabilities', first, '--out', caps, ...args.slice(2)]);
    assert.equal(collected.code, 0, collected.stderr);

    const h2 = lab.hosts[1];
    assert.ok((await killSshd(lab.prefix, h2.name)) > 0, 'no sshd to stop');
    try {
      const refreshed = await tvd(['plan', changed, ...args]);
      assert.equal(refreshed.code, 1);
      assert.match(refreshed.stderr, new RegExp(`host ${h2.name} .*connection refused`));

      const offline = await tvd(['apply', changed, '--capabilities', caps, '--refresh=false', '--auto-approve', ...args]);
      assert.equal(offline.code, 0, offline.stdout + offline.stderr);
      assert.match(offline.stdout, /~ h1\/vm\/w1/);
      assert.match(offline.stdout, /Resources: 0 added, 1 changed, 0 destroyed/);
      const cfg = await hostExec(lab.prefix, lab.hosts[0].name, ['cat', '/etc/xen/tvd/w1.cfg']);
      assert.match(cfg.stdout, /^memory = 256$/m);

      // A saved plan was refreshed when it was made: the options are refused for it.
      const saved = join(dir, 'tvd.plan');
      assert.equal((await tvd(['plan', changed, '--capabilities', caps, '--refresh=false', '--out', saved, ...args])).code, 0);
      const refused = await tvd(['apply', saved, '--refresh=false', ...args]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /--capabilities and --refresh are for a topology; the saved plan .* was refreshed when it was made/);
    } finally {
      await startSshd(lab.prefix, h2.name);
    }
    const destroyed = await tvd(['destroy', changed, '--auto-approve', ...args]);
    assert.equal(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
  });
});
