// Every host of a 3-host lab answers SSH with the lab key, and OpenSSH refuses a host whose key changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canRunLab, LAB_SKIP_REASON, withLab, hostExec } from '../../lab/api.js';
import { restartSshd } from '../../lab/sshd-control.js';
import { ssh } from './lab-ssh.js';

const PREFIX = `ts${process.pid % 100000}`;

test('ssh into every host of a 3-host lab; a changed host key is refused', { skip: canRunLab() ? false : LAB_SKIP_REASON }, async () => {
  await withLab({ hosts: 3, segments: 2, prefix: PREFIX }, async (lab) => {
    assert.equal(lab.hosts.length, 3);
    const kh = readFileSync(lab.knownHosts, 'utf8');
    for (const h of lab.hosts) {
      assert.match(kh, new RegExp(`^${h.address.replace(/\./g, '\\.')} ssh-ed25519 `, 'm'));
      const r = await ssh(
        lab,
        h.address,
        'hostname; ip -4 -o addr show dev eth0; test -d /etc/xen/scripts && test -d /var/lib/tvd && echo dirs; command -v xl',
      );
      assert.equal(r.code, 0, r.stderr);
      const [name, addr, dirs, xl] = r.stdout.trim().split('\n');
      assert.equal(name, h.name);
      assert.match(addr, new RegExp(`inet ${h.address.replace(/\./g, '\\.')}/24`));
      assert.equal(dirs, 'dirs');
      assert.equal(xl, '/usr/local/sbin/xl');
    }
    // Hosts are separate machines: a file written on h1 is not on h2.
    assert.equal((await ssh(lab, lab.hosts[0].address, 'echo mine > /etc/xen/tvd/mark')).code, 0);
    assert.notEqual((await ssh(lab, lab.hosts[1].address, 'cat /etc/xen/tvd/mark')).code, 0);

    // h2 gets a new host key (and its sshd restarts): the lab's known_hosts no longer matches.
    const h2 = lab.hosts[1];
    const rekey = await hostExec(lab.prefix, h2.name, [
      'sh',
      '-c',
      'rm -f /etc/ssh/ssh_host_ed25519_key* && ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key',
    ]);
    assert.equal(rekey.code, 0, rekey.stderr);
    await restartSshd(lab.prefix, h2.name);
    const refused = await ssh(lab, h2.address, 'true');
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
    // The other hosts are untouched.
    assert.equal((await ssh(lab, lab.hosts[2].address, 'true')).code, 0);
  });
});
