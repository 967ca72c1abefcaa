// Ids that come out of a bounded space (VLAN ids, transit links, TVD VNIs): unique while there
// is room, and an error naming what does not fit when there is none. Before, a full space
// handed out a value already in use: two TVDs on one VLAN, two firewall links on one /31.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateIds } from '../../src/plan/ids.js';
import { buildDesired } from '../../src/plan/desired.js';
import { emptyAllocations } from '../../src/state/state.js';
import type { Topology } from '../../src/topology/schema.js';
import { caps, webDbCaps } from './fixtures.js';

test('allocateIds: unique ids while there is room, then the names left over', () => {
  const names = Array.from({ length: 12 }, (_, i) => `t${i}`);
  const a = allocateIds(names, { min: 1, max: 10 }, { t3: 7 }, { t5: 2, t6: 2, t7: 99 });
  assert.equal(a.ids.t3, 7);
  assert.equal(a.ids.t5, 2, 'a prior id is kept');
  assert.notEqual(a.ids.t6, 2, 'the same prior twice: the first keeps it');
  assert.equal(Object.keys(a.ids).length, 10);
  assert.equal(new Set(Object.values(a.ids)).size, 10);
  assert.ok(
    Object.values(a.ids).every((v) => v >= 1 && v <= 10),
    'a prior outside the space is not kept',
  );
  assert.equal(a.unassigned.length, 2);
  assert.deepEqual(allocateIds(['a'], { min: 1, max: 0 }, {}, {}), { ids: {}, unassigned: ['a'] }, 'an empty space');
});

/** n TVDs, all connected (defaults.flow: open), each with a VM on both hosts. */
function manyTvds(n: number, over: Partial<Topology> = {}): Topology {
  const t: Topology = {
    version: 1,
    defaults: { flow: 'open' },
    tvds: {},
    hosts: {
      'node-1': { address: '198.18.9.11', uplink: 'eth0', segment: 'a' },
      'node-2': { address: '198.18.9.12', uplink: 'eth0', segment: 'a' },
    },
    vms: {},
    ...over,
  };
  for (let i = 0; i < n; i++) {
    t.tvds[`t${i}`] = { subnet: `10.${i >> 6}.${(i & 63) * 4}.0/30` };
    for (const h of ['node-1', 'node-2']) t.vms![`v${i}-${h.slice(-1)}`] = { host: h, memory: 128, nics: [{ tvd: `t${i}` }] };
  }
  return t;
}

test('more connected pairs than defaults.transit has /31s for: one error that says so, not two links on one /31', () => {
  // A /28 holds 7 links (its first /31 is not used); 5 TVDs make 10 pairs.
  const d = buildDesired({
    topology: manyTvds(5, { defaults: { flow: 'open', transit: '198.19.192.0/28' } }),
    capabilities: webDbCaps(),
    allocations: emptyAllocations(),
    hookDigest: 'h',
  });
  assert.deepEqual(
    d.errors.map((e) => e.code),
    ['ids-exhausted'],
  );
  assert.match(
    d.errors[0].message,
    /^10 pairs of connected TVDs need a transit link each, but defaults\.transit 198\.19\.192\.0\/28 has room for 7: t\d+ and t\d+ \(and 2 more\) get none; set defaults\.transit to a larger range/,
  );
  const ok = buildDesired({
    topology: manyTvds(5, { defaults: { flow: 'open', transit: '198.19.192.0/27' } }),
    capabilities: webDbCaps(),
    allocations: emptyAllocations(),
    hookDigest: 'h',
  });
  assert.deepEqual(ok.errors, []);
  const links = ok.resources
    .filter((r) => r.address.type === 'transit')
    .map((r) => (r.attrs as { ends: { address: string }[] }).ends[0].address);
  assert.equal(new Set(links).size, 10);
});

test('more TVDs on VLANs than 802.1Q has ids for: an error, not two TVDs on one VLAN', () => {
  const vlanCaps = { 'node-1': caps('node-1', '198.18.9.11', { vlan: true }), 'node-2': caps('node-2', '198.18.9.12', { vlan: true }) };
  const t = manyTvds(4094, { defaults: { flow: 'closed' } });
  const d = buildDesired({ topology: t, capabilities: vlanCaps, allocations: emptyAllocations(), hookDigest: 'h' });
  assert.deepEqual(
    d.errors.map((e) => e.code),
    ['ids-exhausted'],
  );
  assert.match(d.errors[0].message, /^tvds\.t\d+ would cross hosts on an 802\.1Q VLAN, but all 4093 VLAN ids are taken by other TVDs/);
  delete t.tvds.t4093;
  delete t.vms!['v4093-1'];
  delete t.vms!['v4093-2'];
  const full = buildDesired({ topology: t, capabilities: vlanCaps, allocations: emptyAllocations(), hookDigest: 'h' });
  assert.deepEqual(full.errors, []);
  const ids = full.resources
    .filter((r) => r.address.type === 'vlan' && r.address.host === 'node-1')
    .map((r) => (r.attrs as { id: number }).id);
  assert.equal(ids.length, 4093);
  assert.equal(new Set(ids).size, 4093, 'every VLAN id once');
});
