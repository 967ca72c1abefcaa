// Runs each rendered up twice and each down twice inside a throwaway Dom0 (see sandbox.ts):
// the second up changes nothing (snapshots equal down to ifindexes and inodes), the second down
// too, and after all downs the sandbox is exactly as it was before the first up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDown, renderUp } from '../../src/apply/render/index.js';
import type { AnyResource } from '../../src/plan/resources.js';
import { xlConfig } from '../../src/plan/xl-config.js';
import { Sandbox, snapshot, UPLINK } from './sandbox.js';
import * as fx from './fixtures.js';

function upDownTwice(box: Sandbox, resources: AnyResource[]): void {
  const before = snapshot(box);
  const label = (r: AnyResource) => `${r.address.type}/${r.address.name}`;
  for (const r of resources) {
    box.ok(renderUp(r));
    const once = snapshot(box);
    box.ok(renderUp(r));
    assert.deepEqual(snapshot(box), once, `second up of ${label(r)} changed something`);
  }
  for (const r of [...resources].reverse()) {
    box.ok(renderDown(r));
    const once = snapshot(box);
    box.ok(renderDown(r));
    assert.deepEqual(snapshot(box), once, `second down of ${label(r)} changed something`);
  }
  assert.deepEqual(snapshot(box), before, 'the downs did not restore the sandbox');
}

test('vswitch, vxlan encap, firewalls and a veth transit: up twice, down twice, back to the start', async () => {
  const box = await Sandbox.start();
  try {
    box.ok(UPLINK);
    upDownTwice(box, [fx.vswitch, fx.vswitchDb, fx.encapVxlan, fx.firewall, fx.firewallDb, fx.transitVeth]);
  } finally {
    await box.stop();
  }
});

test('a vxlan transit end, moved into its firewall namespace: up twice, down twice', async () => {
  const box = await Sandbox.start();
  try {
    box.ok(UPLINK);
    upDownTwice(box, [fx.vswitch, fx.firewall, fx.transitVxlan]);
  } finally {
    await box.stop();
  }
});

test('what each up sets: fabric ports isolated on their bridge, MTUs, no IPv6 address, the gateway up with its MAC', async () => {
  const box = await Sandbox.start();
  try {
    // eth1: the dedicated NIC of vswitchDedicated.
    box.ok(`${UPLINK}ip link add name eth1 type veth peer name eth1-peer\n`);
    for (const r of [fx.vswitch, fx.vswitchDedicated, fx.encapVxlan, fx.firewall]) box.ok(renderUp(r));
    const port = (dev: string) => box.ok(`bridge -d link show dev ${dev}`);
    for (const [dev, bridge, mtu] of [
      ['tvx-5101', 'tvd-5101', 1450],
      ['eth1', 'tvd-5103', 1500],
    ] as const) {
      assert.match(port(dev), new RegExp(`<[^>]*\\bUP\\b[^>]*> mtu ${mtu} master ${bridge} `), dev);
      assert.match(port(dev), /\bisolated on\b/, `${dev} is isolated`);
    }
    // The firewall's leg is a bridge port like a VM's: not isolated, or the TVD could not reach its gateway.
    assert.match(port('tvf-5101'), /mtu 1450 master tvd-5101 .*\bisolated off\b/s);
    for (const dev of ['tvd-5101', 'tvd-5103', 'tvx-5101', 'tvf-5101']) {
      assert.match(box.ok(`ip -d link show dev ${dev}`), /\baddrgenmode none\b/, dev);
      assert.equal(box.ok(`ip -6 addr show dev ${dev}`), '', `${dev} has no IPv6 address`);
    }
    const lan0 = box.ok('ip -n tvdfw-web link show dev lan0');
    assert.match(lan0, /<[^>]*\bUP\b[^>]*> mtu 1450 /);
    assert.match(lan0, /link\/ether 02:74:c6:13:01:01 /);
    assert.match(box.ok('ip -n tvdfw-web link show dev lo'), /<[^>]*\bUP\b/);
    assert.equal(box.ok('ip netns exec tvdfw-web sysctl -n net.ipv4.ip_forward').trim(), '1');
  } finally {
    await box.stop();
  }
});

test('proxy and a stopped VM write their files once, root-owned, with their modes, and remove them', async () => {
  const box = await Sandbox.start();
  try {
    upDownTwice(box, [fx.proxy, fx.vmStopped]);
    box.ok(renderUp(fx.proxy));
    box.ok(renderUp(fx.vmStopped));
    const files = snapshot(box).files as string;
    for (const [path, type, mode] of [
      ['/var/lib/tvd/policy.json', 'f', '600'],
      ['/etc/xen/scripts/vif-tvd', 'f', '755'],
      ['/var/lib/tvd/boot.sh', 'f', '755'],
      ['/etc/systemd/system/tvd-boot.service', 'f', '644'],
      ['/etc/systemd/system/multi-user.target.wants/tvd-boot.service', 'l', '777'],
      ['/etc/xen/tvd/d1.cfg', 'f', '644'],
    ]) {
      assert.match(files, new RegExp(`^${path} ${type} ${mode} 0 `, 'm'), path);
    }
    assert.equal(box.ok('cat /etc/xen/tvd/d1.cfg'), xlConfig('d1', fx.vmStopped.address.host, fx.vmStopped.attrs));
  } finally {
    await box.stop();
  }
});

test('firewall: a ruleset changed by hand is put back by the next up; an unchanged one is not reloaded', async () => {
  const box = await Sandbox.start();
  try {
    box.ok(renderUp(fx.vswitch));
    box.ok(renderUp(fx.firewall));
    const good = snapshot(box);
    box.ok(`ip netns exec tvdfw-web nft add rule inet tvd forward accept`);
    assert.notDeepEqual(snapshot(box), good);
    box.ok(renderUp(fx.firewall));
    const again = snapshot(box);
    assert.deepEqual(again['ns tvdfw-web nft'], good['ns tvdfw-web nft']);
    // And config text with quotes, $(...) and backquotes lands byte for byte.
    const extra = "name = \"w1\"\n# it's $(touch /tmp/tvd-pwned) and `touch /tmp/tvd-pwned`\n'\\''\n\n";
    const attrs = { ...fx.vmStopped.attrs, domain: { ...fx.vmStopped.attrs.domain, extra } };
    box.ok(renderUp({ ...fx.vmStopped, attrs }));
    assert.equal(box.ok('cat /etc/xen/tvd/d1.cfg'), xlConfig('d1', fx.vmStopped.address.host, attrs));
    assert.equal(box.run('test -e /tmp/tvd-pwned').status, 1);
  } finally {
    await box.stop();
  }
});

test('a dedicated NIC goes back as tvd found it: down if it was down, up if it was up, also when it stops being dedicated', async () => {
  const box = await Sandbox.start();
  try {
    // Activated once, as any NIC that ever carried traffic (its qdisc is then the kernel's default for good).
    box.ok(`${UPLINK}ip link add name eth1 type veth peer name eth1-peer\nip link set eth1 up\nip link set eth1 down\n`);
    upDownTwice(box, [fx.vswitchDedicated]);
    assert.doesNotMatch(box.ok('ip -o link show dev eth1'), /<[^>]*\bUP\b/, 'eth1 was down before tvd took it');

    box.ok('ip link set eth1 up');
    upDownTwice(box, [fx.vswitchDedicated]);
    assert.match(box.ok('ip -o link show dev eth1'), /<[^>]*\bUP\b/, 'eth1 was up before tvd took it');

    // The topology stops dedicating eth1 to the TVD: the update's up gives it back (down, as it was).
    box.ok('ip link set eth1 down');
    const before = snapshot(box);
    const { dedicated: _, ...attrs } = fx.vswitchDedicated.attrs;
    const undedicated = { ...fx.vswitchDedicated, attrs };
    box.ok(renderUp(fx.vswitchDedicated));
    box.ok(renderUp(undedicated));
    const port = box.ok('ip -o link show dev eth1');
    assert.doesNotMatch(port, /master|<[^>]*\bUP\b/, 'eth1 is off the bridge and down again');
    box.ok(renderDown(undedicated));
    assert.deepEqual(snapshot(box), before, 'nothing of tvd is left, /var/lib/tvd/nic included');
  } finally {
    await box.stop();
  }
});
