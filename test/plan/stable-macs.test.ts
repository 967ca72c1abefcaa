// Derived MACs and vif names across plans: the state of plan 1 is recorded, VMs come and go,
// and plan 2 keeps every deployed NIC's MAC and every deployed VM's vif names, while new ones
// take free values, also where their hash lands on a deployed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import { derivedStart, numberToMac } from '../../src/plan/mac-address.js';
import { vifTagStart } from '../../src/plan/interface-names.js';
import type { State } from '../../src/state/state.js';
import type { Topology } from '../../src/topology/schema.js';
import type { VmAttrs } from '../../src/plan/resources.js';
import { emptyState, firstClash, stateOf, webDb, webDbCaps } from './fixtures.js';

const plan = (t: Topology, state: State = emptyState()) =>
  buildPlan({ topology: t, topologyDigest: 'x', capabilities: webDbCaps(), state, hookDigest: 'h' });

/** VM -> its NICs' MACs and vif names, from a plan's desired resources. */
function nicsOf(r: ReturnType<typeof plan>): Map<string, { mac: string; vifname: string }[]> {
  assert.deepEqual(r.plan.errors, []);
  return new Map(
    r.desired.resources
      .filter((x) => x.address.type === 'vm')
      .map((x) => [x.address.name, (x.attrs as VmAttrs).nics.map((n) => ({ mac: n.mac, vifname: n.vifname }))]),
  );
}

test('VMs removed and added between plans: survivors keep their MACs, new NICs get free ones, also where their hash lands on a deployed MAC', () => {
  // y is deployed in plan 1; x, added in plan 2, sorts before y and hashes onto y's MAC.
  const [x, y] = firstClash('n', (vm) => derivedStart(vm, 'web'));
  const t1 = webDb();
  t1.vms![y] = { host: 'node-1', memory: 128, nics: [{ tvd: 'web' }] };
  t1.vms!.gone = { host: 'node-2', memory: 128, nics: [{ tvd: 'web' }, { tvd: 'db' }] };
  const p1 = plan(t1);
  const before = nicsOf(p1);
  assert.equal(before.get(y)![0].mac, numberToMac(derivedStart(y, 'web')));

  const t2 = webDb();
  t2.vms![y] = t1.vms![y];
  t2.vms![x] = { host: 'node-1', memory: 128, nics: [{ tvd: 'web' }] };
  t2.vms!.fresh = { host: 'node-2', memory: 128, nics: [{ tvd: 'db' }] };
  const deployed = stateOf(p1.desired.resources);
  const after = nicsOf(plan(t2, deployed));
  for (const vm of ['w1', 'w2', 'd1', y]) assert.deepEqual(after.get(vm), before.get(vm), `${vm} keeps its MACs and vif names`);
  const macsOfDeployed = new Set([...before.values()].flat().map((n) => n.mac));
  for (const vm of [x, 'fresh'])
    assert.ok(!macsOfDeployed.has(after.get(vm)![0].mac), `${vm} gets a MAC no deployed NIC has (gone's included)`);
  assert.notEqual(after.get(x)![0].mac, after.get(y)![0].mac);
  const all = [...after.values()].flat().map((n) => n.mac);
  assert.equal(new Set(all).size, all.length);

  // Without the state, x (first by name) would have taken y's MAC: it is the state that keeps it.
  const fresh = nicsOf(plan(t2));
  assert.equal(fresh.get(x)![0].mac, before.get(y)![0].mac);
  assert.notEqual(fresh.get(y)![0].mac, before.get(y)![0].mac);
});

test('the plan after an apply of the same topology changes nothing, MACs included', () => {
  const t = webDb();
  for (let i = 0; i < 50; i++) t.vms![`v${i}`] = { host: i % 2 ? 'node-1' : 'node-2', memory: 128, nics: [{ tvd: i % 3 ? 'web' : 'db' }] };
  const p1 = plan(t);
  assert.deepEqual(plan(t, stateOf(p1.desired.resources)).plan.actions, []);
});

test('two VMs of one host whose vif names would clash get different ones; the deployed one keeps its own', () => {
  // Found by trying vm0, vm1, ...: about 44,000 names in, two share a vif tag.
  const [a, b] = ['vm3369', 'vm43625'];
  assert.equal(vifTagStart(a), vifTagStart(b));
  const t1 = webDb();
  t1.vms![b] = { host: 'node-1', memory: 128, nics: [{ tvd: 'web' }] };
  const p1 = plan(t1);
  const t2 = webDb();
  t2.vms![b] = t1.vms![b];
  t2.vms![a] = { host: 'node-1', memory: 128, nics: [{ tvd: 'web' }, { tvd: 'db' }] };
  const without = nicsOf(plan(t2));
  assert.notEqual(without.get(a)![0].vifname, without.get(b)![0].vifname, 'one host, two names');
  const withState = nicsOf(plan(t2, stateOf(p1.desired.resources)));
  assert.equal(withState.get(b)![0].vifname, nicsOf(p1).get(b)![0].vifname, 'the deployed VM keeps its vif name');
  assert.notEqual(withState.get(a)![0].vifname, withState.get(b)![0].vifname);
  for (const n of withState.get(a)!) assert.ok(n.vifname.length <= 15, n.vifname);
  // On different hosts the same name is fine: interface names are per host.
  t2.vms![a].host = 'node-2';
  const apart = nicsOf(plan(t2));
  assert.equal(apart.get(a)![0].vifname.split('.')[0], apart.get(b)![0].vifname.split('.')[0]);
});
