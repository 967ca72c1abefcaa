// The plan says why as data: reason codes, the attributes that force a replace, what happens to
// a running VM, and the evidence each host pair's mechanism was chosen from. Pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import { diffResources } from '../../src/plan/diff.js';
import type { Topology } from '../../src/topology/schema.js';
import type { State } from '../../src/state/state.js';
import { caps, emptyState, stateOf, webDb, webDbCaps } from './fixtures.js';
import { actionAddress } from '../../src/address/address.js';

function deployed(t: Topology): State {
  return stateOf(
    buildPlan({ topology: t, topologyDigest: 'x', capabilities: webDbCaps(), state: emptyState(), hookDigest: 'h' }).desired.resources,
  );
}
const planFor = (t: Topology, state: State, capabilities = webDbCaps()) =>
  buildPlan({ topology: t, topologyDigest: 'x', capabilities, state, hookDigest: 'h' }).plan;
const action = (p: ReturnType<typeof planFor>, address: string) => p.actions.find((a) => actionAddress(a) === address);

test('a pinned vni renames the bridge: replace, reason cannot-update, naming the attribute', () => {
  const t = webDb();
  const state = deployed(t);
  t.tvds.web.vni = 7777;
  const p = planFor(t, state);
  const sw = action(p, 'node-1/vswitch/web')!;
  assert.equal(sw.action, 'replace');
  assert.equal(sw.reason, 'cannot-update');
  assert.deepEqual(sw.forcesReplacement, ['bridge']);
  const fw = action(p, 'node-2/firewall/web')!;
  assert.deepEqual(fw.forcesReplacement, ['bridge', 'leg']);
});

test('memory of a running VM: replace with boot-config, and the domain restarts; of a stopped one: update', () => {
  const t = webDb();
  t.vms!.d1.start = true;
  const state = deployed(t);
  t.vms!.d1.memory = 512;
  t.vms!.w1.memory = 512;
  const p = planFor(t, state);
  assert.deepEqual(
    (({ action, reason, forcesReplacement, domain }) => ({ action, reason, forcesReplacement, domain }))(action(p, 'node-2/vm/d1')!),
    { action: 'replace', reason: 'boot-config', forcesReplacement: ['domain'], domain: 'restart' },
  );
  const w1 = action(p, 'node-1/vm/w1')!;
  assert.equal(w1.action, 'update');
  assert.equal(w1.reason, undefined);
  assert.equal(w1.domain, undefined);
});

test('start: true -> false stops the domain; false -> true starts it; delete of a running VM stops it', () => {
  const t = webDb();
  t.vms!.d1.start = true;
  const state = deployed(t);
  t.vms!.d1.start = false;
  t.vms!.w1.start = true;
  const p = planFor(t, state);
  assert.deepEqual(
    [action(p, 'node-2/vm/d1')!.action, action(p, 'node-2/vm/d1')!.domain, action(p, 'node-2/vm/d1')!.forcesReplacement],
    ['replace', 'stop', ['start']],
  );
  assert.deepEqual([action(p, 'node-1/vm/w1')!.action, action(p, 'node-1/vm/w1')!.domain], ['update', 'start']);
  const on = webDb();
  on.vms!.d1.start = true;
  const gone = diffResources([], deployed(on).resources).find((a) => a.resource.name === 'd1')!;
  assert.deepEqual([gone.action, gone.domain], ['delete', 'stop']);
});

test('tainted, gone, drifted and adopted are codes; what refresh saw is kept apart as drift', () => {
  const t = webDb();
  const state = deployed(t);
  const desired = buildPlan({ topology: t, topologyDigest: 'x', capabilities: webDbCaps(), state, hookDigest: 'h' }).desired.resources;
  const tainted = {
    ...state,
    resources: state.resources.map((r) => (r.type === 'vm' && r.name === 'w1' ? { ...r, status: 'tainted' as const } : r)),
  };
  assert.equal(diffResources(desired, tainted.resources).find((a) => a.resource.name === 'w1')?.reason, 'tainted');
  const acts = diffResources(desired, state.resources, [
    { address: 'node-1/vswitch/web', kind: 'missing', detail: 'the host has no record of it' },
    { address: 'node-2/vswitch/db', kind: 'changed', detail: 'bridge tvd-1 is gone' },
    { address: 'node-2/vm/d1', kind: 'adopted', detail: 'adopted' },
  ]);
  const by = (n: string) => acts.find((a) => actionAddress(a) === n)!;
  assert.deepEqual([by('node-1/vswitch/web').action, by('node-1/vswitch/web').reason], ['create', 'gone']);
  assert.deepEqual(
    [by('node-2/vswitch/db').action, by('node-2/vswitch/db').reason, by('node-2/vswitch/db').drift],
    ['update', 'drifted', 'bridge tvd-1 is gone'],
  );
  assert.equal(by('node-2/vm/d1').reason, 'adopted');
  for (const a of acts) assert.doesNotMatch(a.reason ?? '', / /, 'a reason is a code, not a sentence');
});

test('crossings: per pair the mechanism and the evidence from the capability models and the topology', () => {
  const t = webDb();
  t.hosts!['node-3'] = { address: '198.18.9.13', uplink: 'eth0', segment: 'a' };
  t.vms!.w3 = { host: 'node-3', memory: 128, nics: [{ tvd: 'web', ip: '198.19.40.12' }] };
  const c = {
    'node-1': caps('node-1', '198.18.9.11', { vlan: true }),
    'node-2': caps('node-2', '198.18.9.12', { vlan: true }),
    'node-3': caps('node-3', '198.18.9.13'),
  };
  const p = planFor(t, emptyState(), c);
  assert.deepEqual(p.errors, []);
  const web = p.crossings!.find((x) => x.tvd === 'web')!;
  assert.deepEqual(web.pairs, [
    { hosts: ['node-1', 'node-2'], mechanism: 'vlan' },
    { hosts: ['node-1', 'node-3'], mechanism: 'encap' },
    { hosts: ['node-2', 'node-3'], mechanism: 'encap' },
  ]);
  assert.equal(typeof web.vlan, 'number');
  assert.equal(typeof web.vni, 'number');
  assert.deepEqual(
    web.hosts.find((h) => h.host === 'node-3'),
    { host: 'node-3', segment: 'a', vlan: { mechanism: false, functional: false }, encap: { mechanism: true, functional: true } },
  );
  assert.equal(
    p.crossings!.some((x) => x.tvd === 'db'),
    false,
    'db is on one host: nothing crosses',
  );
});

test('warnings carry their kind; one MTU warning for all TVDs that lose the same bytes', () => {
  const t = webDb();
  t.tvds.db.subnet = '198.19.41.0/24';
  t.vms!.d2 = { host: 'node-1', memory: 128, nics: [{ tvd: 'db', ip: '198.19.41.11' }] };
  const p = planFor(t, emptyState());
  const mtu = p.warnings.filter((_, i) => p.warningCodes![i] === 'mtu');
  assert.equal(mtu.length, 1, p.warnings.join('\n'));
  assert.match(mtu[0], /^TVDs db, web: vxlan over uplinks of MTU 1500 leaves 1450 for their VMs/);
  assert.equal(p.warningCodes!.length, p.warnings.length);
});
