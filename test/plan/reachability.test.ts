// The static proof catches seeded bugs in what the planner produced, and the transitivity warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDesired } from '../../src/plan/desired.js';
import { proveReachability } from '../../src/plan/reachability.js';
import { transitivityWarnings } from '../../src/plan/transitivity.js';
import { flowMatrix } from '../../src/plan/flow-matrix.js';
import { emptyAllocations } from '../../src/state/state.js';
import type { AnyResource, FirewallAttrs, EncapAttrs, VmAttrs } from '../../src/plan/resources.js';
import type { Topology } from '../../src/topology/schema.js';
import { webDb, webDbCaps } from './fixtures.js';

function prove(t: Topology, mutate: (rs: AnyResource[]) => void = () => {}) {
  const d = buildDesired({ topology: t, capabilities: webDbCaps(), allocations: emptyAllocations(), hookDigest: 'h' });
  assert.deepEqual(d.errors, []);
  const rs = structuredClone(d.resources);
  mutate(rs);
  const segments = Object.fromEntries(Object.entries(t.hosts!).map(([h, s]) => [h, s.segment]));
  return proveReachability({ resources: rs, matrix: flowMatrix(t), segments, isolated: d.isolated });
}

const find = (rs: AnyResource[], type: string, name: string) => rs.find((r) => r.address.type === type && r.address.name === name)!;

test('the planner output proves clean', () => {
  assert.deepEqual(prove(webDb()), []);
});

test('seeded bug: a firewall rule with its direction flipped is caught', () => {
  const m = prove(webDb(), (rs) => {
    const fw = find(rs, 'firewall', 'web').attrs as FirewallAttrs;
    fw.rules = fw.rules.map((r) => ({ ...r, direction: r.direction === 'outbound' ? 'inbound' : 'outbound' }));
  });
  assert.ok(m.length > 0);
  assert.equal(m[0].expected, true);
  assert.equal(m[0].from.tvd, 'web');
  assert.equal(m[0].to.tvd, 'db');
});

test('seeded bug: a controlled rule widened to the whole protocol is caught', () => {
  const m = prove(webDb(), (rs) => {
    for (const t of ['web', 'db']) {
      const fw = find(rs, 'firewall', t).attrs as FirewallAttrs;
      fw.rules = fw.rules.map((r) => ({ direction: r.direction, peer: r.peer, proto: 'tcp' }));
    }
  });
  assert.ok(m.some((x) => x.expected === false && x.actual === true && x.probe === 'tcp/1'));
});

test('seeded bug: an open rule where the matrix says closed (db -> web) is caught', () => {
  const m = prove(webDb(), (rs) => {
    (find(rs, 'firewall', 'db').attrs as FirewallAttrs).rules.push({ direction: 'outbound', peer: 'web' });
    (find(rs, 'firewall', 'web').attrs as FirewallAttrs).rules.push({ direction: 'inbound', peer: 'db' });
  });
  assert.ok(m.some((x) => x.from.tvd === 'db' && x.to.tvd === 'web' && x.actual && !x.expected));
});

test('seeded bug: a missing VXLAN peer splits a TVD and is caught', () => {
  const m = prove(webDb(), (rs) => {
    const e = rs.find((r) => r.address.type === 'encap' && r.address.host === 'node-1')!.attrs as EncapAttrs;
    e.peers = [];
  });
  assert.ok(m.some((x) => x.from.tvd === 'web' && x.to.tvd === 'web' && x.expected && !x.actual));
});

test('seeded bug: a VM NIC on the wrong bridge is refused by the proxy policy, and the proof sees it', () => {
  const m = prove(webDb(), (rs) => {
    const vm = find(rs, 'vm', 'd1').attrs as VmAttrs;
    const web = find(rs, 'vswitch', 'web').attrs as { bridge: string };
    vm.nics[0].bridge = web.bridge;
  });
  assert.ok(m.length > 0);
});

test('transitivity: a -> b closed but a -> c -> b open warns, and so does a VM in two closed TVDs', () => {
  const t: Topology = {
    version: 1,
    tvds: { a: { subnet: '198.19.1.0/24' }, b: { subnet: '198.19.2.0/24' }, c: { subnet: '198.19.3.0/24' } },
    flows: [
      { from: 'a', to: 'c', connection: 'open' },
      { from: 'c', to: 'b', connection: 'controlled', allow: [{ proto: 'tcp', port: 80 }] },
    ],
    vms: { x: { host: 'h', memory: 128, nics: [{ tvd: 'a' }, { tvd: 'b' }] } },
  };
  const w = transitivityWarnings(t, flowMatrix(t));
  assert.ok(w.some((s) => /^a -> b is closed, but information can flow from a to b through c/.test(s)));
  assert.ok(w.some((s) => /VM x has NICs in a and b/.test(s)));
});

test('transitivity warning on examples/paper-figure-1', async () => {
  const { loadTopology } = await import('../../src/topology/load.js');
  const { fileURLToPath } = await import('node:url');
  const r = loadTopology(fileURLToPath(new URL('../../../examples/paper-figure-1/topology.yaml', import.meta.url)));
  assert.ok(r.ok);
  if (!r.ok) return;
  const w = transitivityWarnings(r.topology, flowMatrix(r.topology));
  assert.deepEqual(
    w.filter((s) => / is closed, but /.test(s)),
    [
      'alpha -> beta is closed, but information can flow from alpha to beta through gamma (alpha -> gamma and gamma -> beta are not closed)',
    ],
  );
});
