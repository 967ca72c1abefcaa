// `xl create` of hand-written configs over SSH: VMs land on a hand-made bridge, two VMs on two
// hosts (in different segments) ping each other over a hand-made VXLAN, a refusing vif hook
// rolls the domain back, and `xl destroy` leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRunLab, LAB_SKIP_REASON, withLab, vmExec, hostExec } from '../../lab/api.js';
import { ssh } from './lab-ssh.js';

const PREFIX = `tx${process.pid % 100000}`;

const vmCfg = (name: string, ip: string, mac: string) => `# written by hand, as tvd would
name = "${name}"
type = "pv"
memory = 128
vcpus = 1
kernel = "/boot/vmlinuz-lab"
extra = "console=hvc0 ip=${ip}::198.19.40.1:255.255.255.0::eth0:off"
vif = [ 'mac=${mac},bridge=br-test' ]
`;

test('xl create puts VMs on a hand-made bridge; two VMs on two hosts ping over a hand-made VXLAN', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
}, async () => {
  await withLab({ hosts: 2, segments: 2, prefix: PREFIX }, async (lab) => {
    const [a, b] = lab.hosts;
    assert.notEqual(a.segment, b.segment);
    const pairs: [typeof a, typeof b, string, string, string][] = [
      [a, b, 'vm-a', '198.19.40.10', '00:16:3e:40:00:0a'],
      [b, a, 'vm-b', '198.19.40.11', '00:16:3e:40:00:0b'],
    ];
    for (const [h, peer, vm, ip, mac] of pairs) {
      const setup = [
        'set -e',
        'ip link add br-test type bridge',
        'ip link set br-test up',
        `ip link add vx-test type vxlan id 4242 local ${h.address} dstport 4789 nolearning dev eth0`,
        'ip link set vx-test master br-test up',
        `bridge fdb append 00:00:00:00:00:00 dev vx-test dst ${peer.address}`,
        `cat > /etc/xen/tvd/${vm}.cfg`,
      ].join('\n');
      const r1 = await ssh(lab, h.address, setup, { input: vmCfg(vm, ip, mac) });
      assert.equal(r1.code, 0, r1.stderr);
      const r2 = await ssh(lab, h.address, `xl create /etc/xen/tvd/${vm}.cfg`);
      assert.equal(r2.code, 0, r2.stderr);
      assert.match(r2.stderr, /Parsing config from \/etc\/xen\/tvd\//);
    }
    // The backend vif1.0 sits on the bridge; the guest has the kernel ip= address, MAC and route.
    const links = await ssh(
      lab,
      a.address,
      'bridge link show; xl list; xenstore-read backend/vif/1/0/bridge backend/vif/1/0/mac /local/domain/1/name backend/vif/1/0/hotplug-status',
    );
    assert.equal(links.code, 0, links.stderr);
    assert.match(links.stdout, /vif1\.0@\S+: .* master br-test state forwarding/);
    assert.match(links.stdout, /^vm-a\s+1\s+128\s+1\s+-b----/m);
    assert.match(links.stdout, /^br-test\n00:16:3e:40:00:0a\nvm-a\nconnected$/m);
    // `xl list [DOMAIN]` is answered in sh (lab/host-bin/xl-list); it says what the Node stand-in
    // says (its last line runs the stand-in), and fails as it does.
    for (const args of ['', ' vm-a', ' 1', ' Domain-0', ' 0']) {
      const lists = await ssh(lab, a.address, `xl list${args}; echo ==; sh -c "$(sed -n '$p' /usr/local/sbin/xl)" xl list${args}`);
      assert.equal(lists.code, 0, lists.stderr);
      const [quick, full] = lists.stdout.split('==\n').map((t) =>
        t
          .trim()
          .split('\n')
          .map((l) => l.replace(/\s+\S+$/, '')),
      );
      assert.equal(quick.length, args ? 2 : 3, `xl list${args}`);
      assert.deepEqual(quick, full, `xl list${args}`);
    }
    const unknown = await ssh(
      lab,
      a.address,
      `xl list nope; echo "rc=$?"; sh -c "$(sed -n '$p' /usr/local/sbin/xl)" xl list nope; echo "rc=$?"`,
    );
    assert.equal(unknown.stdout, 'rc=1\nrc=1\n');
    assert.equal(unknown.stderr, 'nope is an invalid domain identifier (rc=-6)\n'.repeat(2));
    const addr = await vmExec(lab.prefix, 'vm-a', ['ip', '-o', 'addr', 'show', 'dev', 'eth0']);
    assert.match(addr.stdout, /inet 198\.19\.40\.10\/24/);
    const link = await vmExec(lab.prefix, 'vm-a', ['ip', '-o', 'link', 'show', 'dev', 'eth0']);
    assert.match(link.stdout, /link\/ether 00:16:3e:40:00:0a/);
    const route = await vmExec(lab.prefix, 'vm-a', ['ip', 'route', 'show', 'default']);
    assert.match(route.stdout, /default via 198\.19\.40\.1 dev eth0/);

    const ping = await vmExec(lab.prefix, 'vm-a', ['ping', '-c', '3', '-W', '2', '198.19.40.11']);
    assert.equal(ping.code, 0, ping.stdout + ping.stderr);
    const back = await vmExec(lab.prefix, 'vm-b', ['ping', '-c', '1', '-W', '2', '198.19.40.10']);
    assert.equal(back.code, 0, back.stdout + back.stderr);

    // A hook that refuses: xl create fails, and the half-made domain is rolled back.
    const hook =
      '#!/bin/sh\necho "$1 $vif $XENBUS_PATH $(xenstore-read /local/domain/$(xenstore-read $XENBUS_PATH/frontend-id)/name)" >> /var/log/hook.log\n[ "$1" = offline ] || { echo "not a member" >&2; exit 1; }\n';
    const deny = await ssh(lab, a.address, 'cat > /etc/xen/scripts/vif-deny && chmod +x /etc/xen/scripts/vif-deny', { input: hook });
    assert.equal(deny.code, 0, deny.stderr);
    const refused = await ssh(
      lab,
      a.address,
      `xl create /etc/xen/tvd/vm-a.cfg 'name="vm-x"' "vif=['bridge=br-test','bridge=br-test,script=vif-deny']"`,
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /vif-deny online \[\d+\] exited with error status 1/);
    const log = await ssh(lab, a.address, 'cat /var/log/hook.log');
    assert.match(log.stdout, /^online vif2\.1 backend\/vif\/2\/1 vm-x$/m);
    assert.match(log.stdout, /^offline vif2\.1 backend\/vif\/2\/1 vm-x$/m);
    const after = await ssh(lab, a.address, 'xl list; ip netns list; ip -o link show | grep -c "vif2\\." || true');
    assert.equal(after.code, 0, after.stderr);
    assert.doesNotMatch(after.stdout, /vm-x/);
    assert.match(after.stdout, /^0$/m);

    // network-attach / detach, then destroy: no vif, namespace or xenstore entry remains.
    const att = await ssh(lab, a.address, 'xl network-attach vm-a bridge=br-test ip=198.19.41.5/24 && xl network-list vm-a');
    assert.equal(att.code, 0, att.stderr);
    assert.match(att.stdout, /^1 .*\/local\/domain\/0\/backend\/vif\/1\/1$/m);
    assert.match((await vmExec(lab.prefix, 'vm-a', ['ip', '-o', 'addr', 'show', 'dev', 'eth1'])).stdout, /198\.19\.41\.5\/24/);
    assert.equal((await ssh(lab, a.address, 'xl network-detach vm-a 1')).code, 0);
    const gone = await ssh(
      lab,
      a.address,
      'xl destroy vm-a && xl list | tail -n +2; ip -o link show | grep -c vif1 || true; ip netns list; xenstore-exists /local/domain/1 && echo still-there || echo clean',
    );
    assert.equal(gone.code, 0, gone.stderr);
    assert.match(gone.stdout, /^Domain-0 /m);
    assert.doesNotMatch(gone.stdout, /vm-a/);
    assert.match(gone.stdout, /^0\nclean$/m);
    const dup = await hostExec(lab.prefix, b.name, ['xl', 'create', '/etc/xen/tvd/vm-b.cfg']);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already exists/);
  });
});
