// Issue #21: the benchmark's reference fleet (1,000 hosts, 10,000 VMs, 200 TVDs, one NIC per
// VM, no MACs given) was refused because two derived MACs clashed. It plans, with every MAC
// distinct, and every vif name on its host. The fleet is bench/generate-topology.ts's, as the plan-at-scale benchmark uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { VmAttrs } from '../../src/plan/resources.js';
import { capabilitiesFor, fleetOf, generateTopology } from '../../bench/generate-topology.js';
import { emptyState } from './fixtures.js';

test('the 1,000-host fleet without MACs plans, every NIC with its own MAC', () => {
  const topology = generateTopology(fleetOf(1000));
  const nics = Object.values(topology.vms!).flatMap((v) => v.nics);
  assert.equal(nics.length, 10_000);
  assert.ok(
    nics.every((n) => n.mac === undefined),
    'the generator gives no MAC',
  );
  const capabilities = Object.fromEntries(capabilitiesFor(topology).map((c) => [c.host, c]));
  const { plan, desired } = buildPlan({ topology, topologyDigest: 'x', capabilities, state: emptyState(), hookDigest: 'h' });
  assert.deepEqual(plan.errors, []);
  const vms = desired.resources.filter((r) => r.address.type === 'vm');
  const macs = vms.flatMap((r) => (r.attrs as VmAttrs).nics.map((n) => n.mac));
  assert.equal(new Set(macs).size, 10_000);
  const vifs = vms.flatMap((r) => (r.attrs as VmAttrs).nics.map((n) => `${r.address.host}/${n.vifname}`));
  assert.equal(new Set(vifs).size, 10_000);
});
