// The host bundle, run for real in a throwaway Dom0 (sandbox.ts): progress lines, records,
// manifest digests, stop at the first failure, a simulated reboot brought back by boot.sh,
// VM NIC changes through xl, and a destroy that leaves the host as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressKey } from '../../src/address/address.js';
import type { AnyResource } from '../../src/plan/resources.js';
import { attrsDigest, renderHostBundle, renderManifestScript, type BundleStep } from '../../src/apply/render/index.js';
import { Sandbox, snapshot, UPLINK } from './sandbox.js';
import { INSTALL_XL_STUB, XL_STUB_DIR } from './xl-stub.js';
import * as fx from './fixtures.js';

interface Progress {
  events: string[];
  manifest: Record<string, string>;
}

function parse(stdout: string): Progress {
  const lines = stdout.split('\n').filter((l) => l.length > 0);
  for (const l of lines)
    assert.ok(l.startsWith('@@tvd ') || /^[a-z0-9-]+\/[a-z]+\/[a-z0-9-]+ [0-9a-f]{64}$/.test(l), `unexpected stdout line: ${l}`);
  const b = lines.indexOf('@@tvd manifest-begin');
  const e = lines.indexOf('@@tvd manifest-end');
  assert.ok(b >= 0 && e > b && e === lines.length - 1, `no manifest block at the end:\n${stdout}`);
  const manifest: Record<string, string> = {};
  for (const l of lines.slice(b + 1, e)) {
    const [address, digest] = l.split(' ');
    manifest[address] = digest;
  }
  return { events: lines.slice(0, b), manifest };
}

const key = (r: AnyResource) => addressKey(r.address);
const create = (r: AnyResource): BundleStep => ({ address: r.address, action: 'create', after: r });
const remove = (r: AnyResource): BundleStep => ({ address: r.address, action: 'delete', before: r });
const expectedManifest = (rs: AnyResource[]) => Object.fromEntries(rs.map((r) => [key(r), attrsDigest(r.attrs)]));

// In RESOURCE_TYPES order, names sorted, as the caller orders creates.
const DEPLOYED: AnyResource[] = [
  fx.proxy,
  fx.vswitchDb,
  fx.vswitch,
  fx.encapVxlan,
  fx.firewallDb,
  fx.firewall,
  fx.transitVeth,
  fx.vmStopped,
];

test('bundle: apply, manifest, stop at the first failure, reboot, destroy', async () => {
  const box = await Sandbox.start();
  try {
    box.ok(UPLINK);
    const pristine = snapshot(box);

    // Apply everything in one script.
    const r1 = box.run(renderHostBundle('host-a', DEPLOYED.map(create)));
    assert.equal(r1.status, 0, r1.stderr);
    const p1 = parse(r1.stdout);
    assert.deepEqual(
      p1.events,
      DEPLOYED.flatMap((r) => [`@@tvd begin ${key(r)} create`, `@@tvd ok ${key(r)}`]),
    );
    assert.deepEqual(p1.manifest, expectedManifest(DEPLOYED));
    assert.equal(
      box.ok('ls /var/lib/tvd/res'),
      '00-proxy.host-a\n01-vswitch.db\n01-vswitch.web\n03-encap.web\n04-firewall.db\n04-firewall.web\n05-transit.db--web\n06-vm.d1\n',
    );
    assert.equal(box.ok('ls /var/lib/tvd/res/04-firewall.web'), 'address\nattrs.json\ndown\nup\n');
    const applied = snapshot(box, 'loose');

    // Refresh reads the same manifest.
    assert.deepEqual(parse(box.ok(renderManifestScript())).manifest, p1.manifest);

    // A failing step stops the bundle: nothing after it runs, nothing of it is recorded.
    const broken: AnyResource = { ...fx.vswitchDedicated, attrs: { ...fx.vswitchDedicated.attrs, dedicated: 'eth9' } };
    const after: AnyResource = { ...fx.vswitchDb, address: { ...fx.vswitchDb.address, name: 'zz' } };
    const r2 = box.run(renderHostBundle('host-a', [create(broken), create(after)]));
    assert.equal(r2.status, 1);
    const p2 = parse(r2.stdout);
    assert.equal(p2.events.length, 2, r2.stdout);
    assert.equal(p2.events[0], `@@tvd begin ${key(broken)} create`);
    assert.match(p2.events[1], new RegExp(`^@@tvd fail ${key(broken)} [1-9][0-9]*$`));
    assert.deepEqual(p2.manifest, expectedManifest(DEPLOYED));
    assert.match(r2.stderr, /eth9/);
    box.ok(`ip link del dev tvd-5103`); // what the failed step made before it failed

    // Reboot: every link, namespace and rule goes (the uplink comes back by itself); boot.sh
    // replays the records and the networks are as they were.
    box.ok(`for ns in $(ip netns list | cut -d' ' -f1); do
  ip -n "$ns" -o link show | while IFS=': ' read -r _ dev _; do dev=\${dev%%@*}; [ "$dev" = lo ] || ip -n "$ns" link del dev "$dev" 2>/dev/null || true; done
  ip netns del "$ns"
done
for dev in tvx-5101 tvd-5101 tvd-5102; do ip link del dev "$dev"; done
nft flush ruleset`);
    assert.notDeepEqual(snapshot(box, 'loose'), applied);
    box.ok('/var/lib/tvd/boot.sh');
    assert.deepEqual(snapshot(box, 'loose'), applied);

    // Destroy: the deletes in reverse order, and the host is as it was before the first apply.
    const r3 = box.run(renderHostBundle('host-a', [...DEPLOYED].reverse().map(remove)));
    assert.equal(r3.status, 0, r3.stderr);
    const p3 = parse(r3.stdout);
    assert.deepEqual(p3.manifest, {});
    assert.equal(p3.events.length, DEPLOYED.length * 2);
    assert.deepEqual(snapshot(box), pristine);
  } finally {
    await box.stop();
  }
});

test('bundle: a running VM gets NICs attached and detached on update, once', async () => {
  const box = await Sandbox.start();
  try {
    box.ok(INSTALL_XL_STUB);
    const calls = () =>
      box
        .ok(`cat ${XL_STUB_DIR}/calls`)
        .split('\n')
        .filter((l) => l && !/^xl (list|network-list|domid) /.test(l)); // queries change nothing
    const nics = () => box.ok(`cat ${XL_STUB_DIR}/nics-w1`);
    const apply = (steps: BundleStep[]) => {
      const r = box.run(renderHostBundle('host-a', steps));
      assert.equal(r.status, 0, r.stderr);
      return parse(r.stdout);
    };

    apply([create(fx.vmStarted)]);
    assert.deepEqual(calls(), ['xl create /etc/xen/tvd/w1.cfg']);
    apply([create(fx.vmStarted)]); // running already: no second create
    assert.deepEqual(calls(), ['xl create /etc/xen/tvd/w1.cfg']);

    const grow: BundleStep = { address: fx.vmStarted.address, action: 'update', before: fx.vmStarted, after: fx.vmStartedTwoNics };
    const p = apply([grow]);
    assert.deepEqual(p.manifest, expectedManifest([fx.vmStartedTwoNics]));
    const attach = 'xl network-attach w1 mac=00:16:3e:00:02:10 bridge=tvd-5102 script=vif-tvd vifname=tvv1a2b3c4.1';
    assert.deepEqual(calls().slice(1), [attach]);
    apply([grow]); // the NIC is there: nothing to attach again
    assert.deepEqual(calls().slice(1), [attach]);
    assert.match(nics(), /mac=00:16:3e:00:02:10/);

    const shrink: BundleStep = { address: fx.vmStarted.address, action: 'update', before: fx.vmStartedTwoNics, after: fx.vmStarted };
    apply([shrink]);
    apply([shrink]);
    assert.deepEqual(calls().slice(2), ['xl network-detach w1 00:16:3e:00:02:10']);
    assert.doesNotMatch(nics(), /00:16:3e:00:02:10/);

    const p2 = apply([remove(fx.vmStarted)]);
    assert.deepEqual(p2.manifest, {});
    assert.deepEqual(calls().slice(3), ['xl destroy w1']);
    assert.equal(box.run('test -e /etc/xen/tvd').status, 1);
  } finally {
    await box.stop();
  }
});
