// The observation script and the pure comparison agree with what the rendered `up`s make: in a
// throwaway Dom0 (test/render/sandbox.ts), after every up the host is clean; each change made
// by hand is found as the right finding on the right resource; running the ups again (what the
// repair apply does) makes it clean again, foreign port included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { renderUp } from '../../src/apply/render/index.js';
import type { AnyResource } from '../../src/plan/resources.js';
import type { StateResource } from '../../src/state/state.js';
import { OBSERVE_SCRIPT } from '../../src/refresh/observe-script.js';
import { parseInventory } from '../../src/refresh/inventory.js';
import { compareHost } from '../../src/refresh/compare.js';
import { findingLine } from '../../src/refresh/finding.js';
import { Sandbox, UPLINK } from '../render/sandbox.js';
import * as fx from '../render/fixtures.js';

const RESOURCES: AnyResource[] = [
  fx.proxy,
  fx.vswitch,
  fx.vswitchDb,
  fx.encapVxlan,
  fx.firewall,
  fx.firewallDb,
  fx.transitVeth,
  fx.vmStopped,
];
const STATE: StateResource[] = RESOURCES.map((r) => ({ ...r.address, attrs: r.attrs, status: 'applied' }));
const HOST = fx.proxy.address.host;

function observe(box: Sandbox): string[] {
  const inv = parseInventory(box.ok(OBSERVE_SCRIPT));
  assert.ok(inv.ok, inv.ok ? '' : inv.error);
  return compareHost(HOST, STATE, inv.inventory).map(findingLine);
}

test('observation script passes shellcheck', {
  skip: spawnSync('shellcheck', ['--version']).status === 0 ? false : 'no shellcheck',
}, () => {
  const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: OBSERVE_SCRIPT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout);
});

test('observe after up is clean; hand-made changes are found on their resource; up again repairs', {
  skip: process.getuid?.() === 0 ? false : 'needs root',
}, async () => {
  const box = await Sandbox.start();
  try {
    box.ok(UPLINK);
    for (const r of RESOURCES) box.ok(renderUp(r));
    assert.deepEqual(observe(box), [], 'right after the ups');

    box.ok(`set -e
ip link del tvd-5102
ip netns exec tvdfw-web nft insert rule inet tvd forward accept
ip link add fx0 type veth peer name fx1
ip link set fx0 master tvd-5101
bridge fdb del 00:00:00:00:00:00 dev tvx-5101 dst 198.18.0.13
ip link set dev tvd-5101 mtu 1400
printf '# edited\\n' >>/etc/xen/tvd/d1.cfg
printf ' ' >>/var/lib/tvd/policy.json
ip -n tvdfw-db link del to-5101
`);
    const found = observe(box);
    const want = [
      /^drift host-a host-a\/vswitch\/db: bridge tvd-5102 is gone$/,
      /^drift host-a host-a\/firewall\/db: firewall leg tvf-5102 is on no bridge, not on tvd-5102$/,
      /^drift host-a host-a\/firewall\/web: the nftables ruleset loaded in tvdfw-web was changed$/,
      /^drift host-a host-a\/encap\/web: tvx-5101 no longer floods to 198\.18\.0\.13$/,
      /^drift host-a host-a\/vswitch\/web: bridge tvd-5101 has MTU 1400, not 1450$/,
      /^drift host-a host-a\/vm\/d1: the config \/etc\/xen\/tvd\/d1\.cfg was changed$/,
      /^drift host-a host-a\/proxy\/host-a: the policy \/var\/lib\/tvd\/policy\.json was changed$/,
      /^drift host-a host-a\/transit\/db--web: transit link to-5101 in tvdfw-db is gone$/,
      /^foreign host-a host-a\/vswitch\/web: fx0 \(veth\) is on bridge tvd-5101 of TVD web, and tvd did not put it there$/,
    ];
    for (const re of want)
      assert.ok(
        found.some((f) => re.test(f)),
        `${re} among:\n${found.join('\n')}`,
      );

    for (const r of RESOURCES) box.ok(renderUp(r));
    assert.deepEqual(observe(box), [], 'after the ups again');
    assert.doesNotMatch(box.ok('ip -o link show master tvd-5101'), /fx0/, 'the foreign port is released');
    assert.match(box.ok('ip -o link show dev fx0'), /fx0/, "... but not deleted: it is not tvd's");

    // A firewall namespace deleted: the firewall and the transit end in it are both drift, so
    // both ups run again (the firewall's makes the namespace, the transit's the link in it).
    box.ok('ip netns del tvdfw-web');
    const gone = observe(box);
    assert.ok(gone.includes('drift host-a host-a/firewall/web: namespace tvdfw-web is gone'), gone.join('\n'));
    assert.ok(
      gone.some((f) => /^drift host-a host-a\/transit\/db--web: transit link \S+ is gone with namespace tvdfw-web$/.test(f)),
      gone.join('\n'),
    );
    for (const r of RESOURCES) box.ok(renderUp(r));
    assert.deepEqual(observe(box), [], 'after the ups again');
  } finally {
    await box.stop();
  }
});
