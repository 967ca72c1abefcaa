// Mechanism choice over a table of capability combinations (issue 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choosePairMechanism } from '../../src/plan/mechanisms.js';
import type { HostSpec } from '../../src/topology/schema.js';
import { caps } from './fixtures.js';

const host = (name: string, segment: string, over: Parameters<typeof caps>[2] = {}, dedicated?: Record<string, string>) => ({
  name,
  spec: { address: '198.18.0.1', uplink: 'eth0', segment, ...(dedicated ? { dedicated } : {}) } as HostSpec,
  caps: caps(name, '198.18.0.1', over),
});

const cases: { why: string; a: ReturnType<typeof host>; b: ReturnType<typeof host>; want: string }[] = [
  { why: 'one segment, both VLAN-capable: VLAN', a: host('a', 's1', { vlan: true }), b: host('b', 's1', { vlan: true }), want: 'vlan' },
  {
    why: 'two segments, both VLAN-capable: encapsulation',
    a: host('a', 's1', { vlan: true }),
    b: host('b', 's2', { vlan: true }),
    want: 'encap:vxlan',
  },
  { why: 'one segment, one lacks VLAN: encapsulation', a: host('a', 's1', { vlan: true }), b: host('b', 's1'), want: 'encap:vxlan' },
  {
    why: 'dedicated NICs on both win over VLAN',
    a: host('a', 's1', { vlan: true }, { web: 'eth1' }),
    b: host('b', 's1', { vlan: true }, { web: 'eth2' }),
    want: 'dedicated',
  },
  {
    why: 'dedicated NIC on one only: next best',
    a: host('a', 's1', { vlan: true }, { web: 'eth1' }),
    b: host('b', 's1', { vlan: true }),
    want: 'vlan',
  },
  { why: 'nothing fits', a: host('a', 's1', { vxlan: false }), b: host('b', 's2'), want: 'error' },
];

for (const c of cases) {
  test(`mechanism: ${c.why}`, () => {
    const r = choosePairMechanism('web', c.a, c.b, 'vxlan');
    const got = !r.ok ? 'error' : r.mechanism.kind === 'encap' ? `encap:${r.mechanism.encap}` : r.mechanism.kind;
    assert.equal(got, c.want);
  });
}

test('the error names the hosts and the missing capability', () => {
  const r = choosePairMechanism('web', host('a', 's1', { vxlan: false }), host('b', 's2'), 'vxlan');
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.missing, /a lacks vxlan/);
});
