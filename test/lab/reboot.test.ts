// A rebooted host loses its processes, VMs, links and /run but keeps /etc and /var; it then
// starts its enabled units and /etc/xen/auto, so a boot unit brings its network back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRunLab, LAB_SKIP_REASON, withLab, labReboot, vmExec } from '../../lab/api.js';
import { ssh } from './lab-ssh.js';
import { shQuote } from '../../src/shell/quote.js';

const PREFIX = `tr${process.pid % 100000}`;

const unit = (local: string, peer: string) => `[Unit]
Description=lab test network
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/sbin/ip link add br-r type bridge
ExecStart=/sbin/ip link set br-r up
ExecStart=/sbin/ip link add vx-r type vxlan id 99 local ${local} dstport 4789 nolearning dev eth0
ExecStart=/sbin/ip link set vx-r master br-r up
ExecStart=/sbin/bridge fdb append 00:00:00:00:00:00 dev vx-r dst ${peer}
ExecStop=-/sbin/ip link del vx-r
ExecStop=-/sbin/ip link del br-r
[Install]
WantedBy=multi-user.target
`;

test('reboot: the host comes back with its boot unit and /etc/xen/auto domains', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
}, async () => {
  await withLab({ hosts: 2, prefix: PREFIX }, async (lab) => {
    const [a, b] = lab.hosts;
    for (const [h, peer, n] of [
      [a, b, 1],
      [b, a, 2],
    ] as const) {
      const cfg = `name="r${n}"\nmemory=64\nextra="ip=198.19.70.${n}:::255.255.255.0::eth0:off"\nvif=['bridge=br-r']\n`;
      const r = await ssh(
        lab,
        h.address,
        `cat > /etc/systemd/system/labnet.service && systemctl enable --now labnet && printf '%s' ${shQuote(cfg)} > /etc/xen/auto/r${n}.cfg && xl create -q /etc/xen/auto/r${n}.cfg && ip netns add scratch && touch /tmp/gone /var/lib/tvd/kept`,
        { input: unit(h.address, peer.address) },
      );
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal((await vmExec(lab.prefix, 'r1', ['ping', '-c', '1', '-W', '2', '198.19.70.2'])).code, 0);

    const report = await labReboot(lab.prefix, a.name);
    assert.deepEqual(report.units, [{ unit: 'labnet.service', code: 0 }]);
    assert.deepEqual(report.domains, [{ config: 'r1.cfg', code: 0 }]);

    const after = await ssh(
      lab,
      a.address,
      'ip netns list; ls /tmp; ls /var/lib/tvd; xl list | tail -n +2 | cut -d" " -f1; systemctl is-active labnet',
    );
    assert.equal(after.code, 0, after.stderr);
    assert.doesNotMatch(after.stdout, /scratch|gone/);
    assert.match(after.stdout, /^kept$/m);
    assert.match(after.stdout, /^r1$/m);
    assert.match(after.stdout, /^active$/m);
    const ping = await vmExec(lab.prefix, 'r1', ['ping', '-c', '3', '-W', '2', '198.19.70.2']);
    assert.equal(ping.code, 0, ping.stdout + ping.stderr);
  });
});
