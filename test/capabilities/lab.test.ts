// `tvd capabilities` against a 3-host lab: VXLAN and no VLAN on this kernel, Xen from the lab's
// xl; the per-boot cache of the slow link tests; then a host whose key changed is refused while
// the others are still probed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON, hostExec } from '../../lab/api.js';
import { capabilitiesProblems } from '../../src/capabilities/validate.js';
import type { Capabilities } from '../../src/capabilities/schema.js';
import { TVD_MAIN } from '../support/tvd-cli.js';
import { restartSshd } from '../../lab/sshd-control.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = `tc${process.pid % 100000}`;

test('probe 3 lab hosts; a changed host key is refused', { skip: canRunLab() ? false : LAB_SKIP_REASON }, async () => {
  await withLabRun({ hosts: 3, segments: 2, prefix: PREFIX }, async ({ lab, dir: work }) => {
    const home = join(work, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    const topo = join(work, 'topology.yaml');
    writeFileSync(topo, `version: 1\ntvds:\n  web: { subnet: 198.19.20.0/24 }\n${readFileSync(lab.hostsYaml, 'utf8')}`);
    const out = join(work, 'caps');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1' };
    delete env.SSH_AUTH_SOCK;
    const run = () =>
      spawnSync(
        process.execPath,
        [TVD_MAIN, 'capabilities', topo, '--out', out, '--known-hosts', lab.knownHosts, '--identity', lab.identity],
        {
          encoding: 'utf8',
          env,
        },
      );

    const r = run();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), lab.hosts.map((h) => `${h.name}.json`).sort());
    for (const h of lab.hosts) {
      const c = JSON.parse(readFileSync(join(out, `${h.name}.json`), 'utf8')) as Capabilities;
      assert.deepEqual(capabilitiesProblems(c), []);
      assert.equal(c.host, h.name);
      assert.equal(c.mechanisms.vxlan, true, h.name);
      assert.equal(c.mechanisms.vlan, false, h.name);
      assert.deepEqual(c.functional, ['ethernet', 'ip']);
      assert.equal(c.uplinks.eth0?.address, h.address);
      assert.ok(c.uplinks.eth0.mtu >= 1280);
      assert.deepEqual(c.xen, { version: '4.17', toolstack: 'xl', hypervisorBinary: '/usr/local/sbin/xl' });
      assert.equal(c.properties['hypervisor-integrity']?.evidence, 'mutable-log');
      assert.match(String(c.properties['hypervisor-integrity']?.value), /^sha256:[0-9a-f]{64}$/);
    }

    // The link tests and `xl info` are cached per boot in the host's /run/tvd: a cache under
    // this boot's key is believed, one under another key is taken again and replaced.
    const h1 = lab.hosts[0];
    const cache = await hostExec(lab.prefix, h1.name, ['sh', '-c', 'cat /run/tvd/probe.cache; cat /proc/sys/kernel/random/boot_id']);
    const [key, ...cached] = cache.stdout.trim().split('\n');
    const bootId = cached.pop();
    assert.match(key, new RegExp(`^tvd-probe-cache [0-9a-f]{16} ${bootId}$`));
    assert.deepEqual(
      cached.filter((l) => l.startsWith('mech')),
      ['mech bridge 1', 'mech vlan 0', 'mech vxlan 1', 'mech gretap 0', 'mech etherip 0', 'mech nftables 1'],
    );
    const vlanOf = (host: string) => (JSON.parse(readFileSync(join(out, `${host}.json`), 'utf8')) as Capabilities).mechanisms.vlan;
    const plant = (firstLine: string) =>
      hostExec(lab.prefix, h1.name, [
        'sh',
        '-c',
        `{ echo "${firstLine}"; sed -e 1d -e 's/^mech vlan 0$/mech vlan 1/' /run/tvd/probe.cache; } > /tmp/c && mv /tmp/c /run/tvd/probe.cache`,
      ]);
    await plant(key);
    assert.equal(run().status, 0);
    assert.equal(vlanOf(h1.name), true, 'the cache of this boot is read');
    assert.equal(vlanOf(lab.hosts[2].name), false);
    await plant(key.replace(bootId!, '00000000-0000-0000-0000-000000000000'));
    assert.equal(run().status, 0);
    assert.equal(vlanOf(h1.name), false, 'a cache of another boot is not');
    const again = await hostExec(lab.prefix, h1.name, ['head', '-n', '1', '/run/tvd/probe.cache']);
    assert.equal(again.stdout.trim(), key);

    // h2 gets a new host key (as after a reinstall, or an attacker in the middle).
    const h2 = lab.hosts[1];
    const rekey = await hostExec(lab.prefix, h2.name, [
      'sh',
      '-c',
      'rm -f /etc/ssh/ssh_host_ed25519_key* && ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key',
    ]);
    assert.equal(rekey.code, 0, rekey.stderr);
    await restartSshd(lab.prefix, h2.name);
    const r2 = run();
    assert.equal(r2.status, 1);
    const errors = r2.stderr.trim().split('\n');
    assert.equal(errors.length, 2, r2.stderr);
    assert.match(
      errors[0],
      new RegExp(`^Error: host ${h2.name} \\(${h2.address.replace(/\./g, '\\.')}:22\\): host key changed: .*ssh-keygen -R`),
    );
    assert.equal(errors[1], 'Collected 2 of 3 hosts; 1 failed.');
  });
});
