// The plan's warning about br_netfilter and a FORWARD drop policy (src/plan/bridge-netfilter.ts):
// which host, why, and the fix; nothing where the trap is not set or tvd's bridges are accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bridgeNetfilterWarnings } from '../../src/plan/bridge-netfilter.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Capabilities } from '../../src/capabilities/schema.js';
import { caps, emptyState, webDb } from './fixtures.js';

type Bn = NonNullable<Capabilities['bridgeNetfilter']>;
const drop = (over: Partial<Bn['forwardDrops'][number]> = {}): Bn['forwardDrops'][number] => ({
  family: 'ip',
  source: 'iptables-legacy',
  table: 'filter',
  chain: 'FORWARD',
  acceptsTvd: false,
  ...over,
});
const bn = (over: Partial<Bn> = {}): Bn => ({
  callIptables: true,
  callIp6tables: true,
  callArptables: true,
  forwardDrops: [drop()],
  ...over,
});
const withBn = (host: string, b: Bn | undefined) => ({ [host]: caps(host, '198.18.9.12', {}, b ? { bridgeNetfilter: b } : {}) });

test('the warning names the host, the setting, the policy and the fix', () => {
  assert.deepEqual(bridgeNetfilterWarnings(['h2'], withBn('h2', bn())), [
    "host h2: net.bridge.bridge-nf-call-iptables=1 and the iptables FORWARD policy is DROP: bridged TVD frames are dropped; run sysctl -w net.bridge.bridge-nf-call-iptables=0 or accept tvd's bridges (tvd-*) in FORWARD",
  ]);
  // iptables-nft's table, read by nft, is the same FORWARD; an IPv6 one is ip6tables'.
  assert.deepEqual(
    bridgeNetfilterWarnings(
      ['h2'],
      withBn('h2', bn({ forwardDrops: [drop({ source: 'nft' }), drop({ family: 'ip6', source: 'ip6tables-legacy' })] })),
    ),
    [
      "host h2: net.bridge.bridge-nf-call-iptables=1 and the iptables FORWARD policy is DROP: bridged TVD frames are dropped; run sysctl -w net.bridge.bridge-nf-call-iptables=0 or accept tvd's bridges (tvd-*) in FORWARD",
      "host h2: net.bridge.bridge-nf-call-ip6tables=1 and the ip6tables FORWARD policy is DROP: bridged TVD frames are dropped; run sysctl -w net.bridge.bridge-nf-call-ip6tables=0 or accept tvd's bridges (tvd-*) in FORWARD",
    ],
  );
  // An inet chain of another tool's holds for both.
  const inet = bridgeNetfilterWarnings(
    ['h2'],
    withBn('h2', bn({ forwardDrops: [drop({ family: 'inet', source: 'nft', table: 'site', chain: 'fwd' })] })),
  );
  assert.equal(inet.length, 2);
  assert.match(
    inet[0],
    /^host h2: net\.bridge\.bridge-nf-call-iptables=1 and the nftables chain inet site fwd \(hook forward\) has policy drop: .* in those chains$/,
  );
});

test('no warning without the trap: setting off, no drop policy, tvd bridges accepted, no br_netfilter, or no bridge there', () => {
  for (const b of [
    bn({ callIptables: false, callIp6tables: false }),
    bn({ forwardDrops: [] }),
    bn({ forwardDrops: [drop({ acceptsTvd: true })] }),
    undefined,
  ]) {
    assert.deepEqual(bridgeNetfilterWarnings(['h2'], withBn('h2', b)), [], JSON.stringify(b));
  }
  assert.deepEqual(bridgeNetfilterWarnings(['h1'], withBn('h2', bn())), []);
});

test('the plan carries it for a host with TVD bridges, and a destroy plan does not', () => {
  const c = { 'node-1': caps('node-1', '198.18.9.11'), 'node-2': caps('node-2', '198.18.9.12', {}, { bridgeNetfilter: bn() }) };
  const input = { topology: webDb(), topologyDigest: 'sha256:x', capabilities: c, state: emptyState(), hookDigest: 'x' };
  const { plan } = buildPlan(input);
  assert.ok(
    plan.warnings.some((w) => w.startsWith('host node-2: net.bridge.bridge-nf-call-iptables=1 and the iptables FORWARD policy is DROP')),
    plan.warnings.join('\n'),
  );
  assert.ok(!plan.warnings.some((w) => w.startsWith('host node-1')));
  assert.deepEqual(buildPlan({ ...input, destroy: true }).plan.warnings, []);
});
