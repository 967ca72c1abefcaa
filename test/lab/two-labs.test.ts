// Two labs side by side: separate address blocks, both reachable, and taking one down leaves the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRunLab, LAB_SKIP_REASON, withLab, hostExec } from '../../lab/api.js';
import { ssh } from './lab-ssh.js';

const A = `ta${process.pid % 100000}`;
const B = `tb${process.pid % 100000}`;

test('two labs run at once without touching each other', { skip: canRunLab() ? false : LAB_SKIP_REASON }, async () => {
  await withLab({ hosts: 2, prefix: A }, async (a) => {
    await withLab({ hosts: 2, segments: 2, prefix: B }, async (b) => {
      assert.notEqual(a.block, b.block);
      const addrs = [...a.hosts, ...b.hosts].map((h) => h.address);
      assert.equal(new Set(addrs).size, addrs.length);
      for (const lab of [a, b]) {
        for (const h of lab.hosts) {
          const r = await ssh(lab, h.address, 'hostname');
          assert.equal(r.code, 0, r.stderr);
          assert.equal(r.stdout.trim(), h.name);
        }
      }
      // Each lab's key opens only its own hosts.
      const cross = await ssh({ identity: a.identity, knownHosts: b.knownHosts }, b.hosts[0].address, 'true');
      assert.equal(cross.code, 255);
      // Same VM name in both labs: each lab's xl is its own.
      for (const lab of [a, b]) {
        const r = await hostExec(lab.prefix, 'h1', [
          'sh',
          '-c',
          'printf \'name="same"\\nmemory=64\\n\' > /etc/xen/tvd/same.cfg && xl create -q /etc/xen/tvd/same.cfg',
        ]);
        assert.equal(r.code, 0, r.stderr);
      }
    });
    // B is down; A still answers.
    const r = await ssh(a, a.hosts[1].address, 'xl list | grep -c same || true');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '0'); // "same" runs on h1, not h2
    assert.equal((await hostExec(A, 'h1', ['xl', 'domid', 'same'])).stdout.trim(), '1');
  });
});
