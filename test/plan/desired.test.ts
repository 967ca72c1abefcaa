// The planner's decisions: allocation stability, MTU, membership, VLAN path, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDesired } from '../../src/plan/desired.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { emptyAllocations } from '../../src/state/state.js';
import type { Topology } from '../../src/topology/schema.js';
import { caps, emptyState, webDb, webDbCaps } from './fixtures.js';

const desired = (t: Topology, c = webDbCaps(), allocations = emptyAllocations()) =>
  buildDesired({ topology: t, capabilities: c, allocations, hookDigest: 'h' });

test('adding a TVD never renumbers the others', () => {
  const first = desired(webDb());
  const t = webDb();
  t.tvds.aaa = { subnet: '198.19.42.0/24' };
  t.vms!.a1 = { host: 'node-1', memory: 128, nics: [{ tvd: 'aaa' }] };
  const second = desired(t, webDbCaps(), first.allocations);
  assert.equal(second.allocations.tvdIds.web, first.allocations.tvdIds.web);
  assert.equal(second.allocations.tvdIds.db, first.allocations.tvdIds.db);
  assert.ok(second.allocations.tvdIds.aaa);
  assert.equal(new Set(Object.values(second.allocations.tvdIds)).size, 3);
});

test('pinned VNIs are kept, and an id the state gave stays even if another name hashes onto it', () => {
  const t = webDb();
  t.tvds.web.vni = 7777;
  const d = desired(t, webDbCaps(), { tvdIds: { db: 8888 }, vlans: {}, transits: {} });
  assert.equal(d.allocations.tvdIds.web, 7777);
  assert.equal(d.allocations.tvdIds.db, 8888);
  const sw = d.resources.find((r) => r.address.type === 'vswitch' && r.address.name === 'db');
  assert.equal((sw!.attrs as { bridge: string }).bridge, 'tvd-8888');
});

test('VXLAN lowers the TVD MTU by 50 and says how to keep 1500', () => {
  const d = desired(webDb());
  const web = d.resources.find((r) => r.address.type === 'vswitch' && r.address.name === 'web');
  assert.equal((web!.attrs as { mtu: number }).mtu, 1450);
  assert.ok(d.warnings.some((w) => w.code === 'mtu' && /raise the uplink MTU .* to 1550/.test(w.message)));
  const big = webDbCaps();
  for (const c of Object.values(big)) c.uplinks.eth0.mtu = 9000;
  const d2 = desired(webDb(), big);
  const web2 = d2.resources.find((r) => r.address.type === 'vswitch' && r.address.name === 'web');
  assert.equal((web2!.attrs as { mtu: number }).mtu, 8950);
  assert.equal(d2.warnings.filter((w) => w.code === 'mtu').length, 0);
});

test('a TVD on one host needs no uplink and no tunnel', () => {
  const c = webDbCaps();
  delete (c['node-2'].uplinks as Record<string, unknown>).eth0;
  const t = webDb();
  t.vms!.w1.host = 'node-2';
  const d = desired(t, c);
  assert.deepEqual(d.errors, []);
  assert.equal(d.resources.filter((r) => r.address.type === 'encap').length, 0);
});

test('VLAN path: one segment, VLAN-capable hosts get 802.1Q devices, no VXLAN', () => {
  const d = desired(webDb(), webDbCaps({ vlan: true }));
  assert.deepEqual(d.errors, []);
  const vlans = d.resources.filter((r) => r.address.type === 'vlan');
  assert.deepEqual(
    vlans.map((r) => r.address.host),
    ['node-1', 'node-2'],
  );
  assert.equal(d.resources.filter((r) => r.address.type === 'encap').length, 0);
  const p = buildPlan({
    topology: webDb(),
    topologyDigest: 'x',
    capabilities: webDbCaps({ vlan: true }),
    state: emptyState(),
    hookDigest: 'h',
  }).plan;
  assert.deepEqual(p.errors, [], 'the static proof accepts the VLAN fabric');
});

test('no mechanism fits: the error names the TVD, both hosts and what is missing', () => {
  const d = desired(webDb(), webDbCaps({ vxlan: false }));
  assert.equal(d.errors.length, 1);
  assert.equal(d.errors[0].code, 'no-mechanism');
  assert.match(d.errors[0].message, /TVD web cannot span hosts node-1 and node-2: .*node-1 and node-2 lack vxlan/);
});

test('membership: a host without accepted evidence is named with TVD, property, offer and accepted kinds', () => {
  const t = webDb();
  t.tvds.db.requires = { 'hypervisor-integrity': ['immutable-log'] };
  const d = desired(t);
  assert.equal(d.errors.length, 1);
  assert.match(
    d.errors[0].message,
    /host node-2 does not meet tvds\.db\.requires\.hypervisor-integrity: it offers mutable-log \(from capabilities\); accepted: immutable-log/,
  );
});

test('membership: a claim with accepted evidence satisfies the requirement', () => {
  const t = webDb();
  t.tvds.db.requires = { 'storage-encryption': ['audit'] };
  t.hosts!['node-2'].claims = { 'storage-encryption': { value: true, evidence: 'audit' } };
  assert.deepEqual(desired(t).errors, []);
});

test('membership: continual + isolate cuts the failing host off and the proof agrees', () => {
  const t = webDb();
  t.tvds.web.requires = { tpm: 'any' };
  t.tvds.web.membership = { check: 'continual', interval: '1m', onFailure: 'isolate' };
  const c = webDbCaps();
  c['node-2'].properties.tpm = { value: true, evidence: 'introspection' };
  const r = buildPlan({ topology: t, topologyDigest: 'x', capabilities: c, state: emptyState(), hookDigest: 'h' });
  assert.deepEqual(r.plan.errors, []);
  assert.deepEqual(
    r.desired.isolated.map((i) => `${i.host}/${i.tvd}`),
    ['node-1/web'],
  );
  const w1 = r.desired.resources.find((x) => x.address.type === 'vm' && x.address.name === 'w1');
  assert.deepEqual((w1!.attrs as { nics: unknown[] }).nics, []);
  assert.ok(!r.desired.resources.some((x) => x.address.host === 'node-1' && x.address.type === 'vswitch'));
});

test('an open flow to a TVD without a subnet is refused', () => {
  const t = webDb();
  delete t.tvds.db.subnet;
  t.flows = [{ between: ['web', 'db'], connection: 'open' }];
  const d = desired(t);
  assert.ok(d.errors.some((e) => e.code === 'no-subnet' && e.tvd === 'db'));
});

test('a host without a capability model is an error, not a guess', () => {
  const c = webDbCaps();
  delete c['node-2'];
  const d = desired(webDb(), c);
  assert.equal(d.errors[0].code, 'no-capabilities');
  assert.equal(d.errors[0].host, 'node-2');
});

test('firewalls land where their connected peers are, so transits are local veths', () => {
  const d = desired(webDb());
  const t = d.resources.filter((r) => r.address.type === 'transit');
  assert.equal(t.length, 1);
  assert.equal((t[0].attrs as { kind: string }).kind, 'veth');
});

test('pinned firewalls on different hosts are joined by a VXLAN transit on each', () => {
  const t = webDb();
  t.tvds.web.firewall = 'node-1';
  t.tvds.db.firewall = 'node-2';
  const r = buildPlan({ topology: t, topologyDigest: 'x', capabilities: webDbCaps(), state: emptyState(), hookDigest: 'h' });
  assert.deepEqual(r.plan.errors, []);
  const tr = r.desired.resources.filter((x) => x.address.type === 'transit');
  assert.deepEqual(
    tr.map((x) => `${x.address.host}:${(x.attrs as { kind: string }).kind}`),
    ['node-1:vxlan', 'node-2:vxlan'],
  );
});

test('the VLAN-capable capability model with three hosts in two segments mixes VLAN and VXLAN', () => {
  const t = webDb();
  t.hosts!['node-3'] = { address: '198.18.9.13', uplink: 'eth0', segment: 'b' };
  t.vms!.w3 = { host: 'node-3', memory: 128, nics: [{ tvd: 'web', ip: '198.19.40.12' }] };
  const c = { ...webDbCaps({ vlan: true }), 'node-3': caps('node-3', '198.18.9.13', { vlan: true }) };
  const r = buildPlan({ topology: t, topologyDigest: 'x', capabilities: c, state: emptyState(), hookDigest: 'h' });
  assert.deepEqual(r.plan.errors, []);
  const kinds = r.desired.resources
    .filter((x) => x.address.name === 'web' && ['vlan', 'encap'].includes(x.address.type))
    .map((x) => `${x.address.host}/${x.address.type}`);
  assert.deepEqual(kinds, ['node-1/vlan', 'node-1/encap', 'node-2/vlan', 'node-2/encap', 'node-3/encap']);
});

test('a firewall stays on its host while that host still carries the TVD', () => {
  const t = webDb();
  const moved = buildDesired({
    topology: t,
    capabilities: webDbCaps(),
    allocations: emptyAllocations(),
    hookDigest: 'h',
    priorFirewalls: { web: 'node-1' },
  });
  const fw = moved.resources.find((r) => r.address.type === 'firewall' && r.address.name === 'web')!;
  assert.equal(fw.address.host, 'node-1');
  const gone = buildDesired({
    topology: t,
    capabilities: webDbCaps(),
    allocations: emptyAllocations(),
    hookDigest: 'h',
    priorFirewalls: { web: 'node-9' },
  });
  assert.equal(gone.resources.find((r) => r.address.type === 'firewall' && r.address.name === 'web')!.address.host, 'node-2');
});

test('a running VM whose boot-time address changes is replaced; one that only gains a NIC is updated live', async () => {
  const { diffResources } = await import('../../src/plan/diff.js');
  const t = webDb();
  t.vms!.w1.start = true;
  const d1 = desired(t);
  const state = d1.resources.map((r) => ({ ...r.address, attrs: r.attrs, status: 'applied' as const }));
  const moved = webDb();
  moved.vms!.w1.start = true;
  moved.vms!.w1.nics = [{ tvd: 'db', ip: '198.19.41.20' }];
  const a1 = diffResources(desired(moved, webDbCaps(), d1.allocations).resources, state).find((a) => a.resource.name === 'w1')!;
  assert.equal(a1.action, 'replace');
  const added = webDb();
  added.vms!.w1.start = true;
  added.vms!.w1.nics.push({ tvd: 'db', ip: '198.19.41.20' });
  const a2 = diffResources(desired(added, webDbCaps(), d1.allocations).resources, state).find((a) => a.resource.name === 'w1')!;
  assert.equal(a2.action, 'update');
});

test('EtherIP has no key: two TVDs over it between the same two hosts are refused', () => {
  const t = webDb();
  t.defaults = { encapsulation: 'etherip' };
  t.vms!.d2 = { host: 'node-1', memory: 128, nics: [{ tvd: 'db', ip: '198.19.41.11' }] };
  const d = desired(t, webDbCaps({ etherip: true }));
  assert.equal(d.errors.length, 1);
  assert.match(d.errors[0].message, /TVDs db and web would both cross hosts node-1 and node-2 over EtherIP/);
  delete t.vms!.d2;
  assert.deepEqual(desired(t, webDbCaps({ etherip: true })).errors, [], 'one TVD over EtherIP is fine');
});

test('a host reached by DNS name: tunnels use its uplink address; without one the plan says why', () => {
  const t = webDb();
  t.hosts!['node-1'].address = 'dom0-a.example.net';
  const ok = desired(t);
  assert.deepEqual(ok.errors, []);
  const encap = ok.resources.find((r) => r.address.host === 'node-2' && r.address.type === 'encap');
  assert.deepEqual((encap!.attrs as { peers: string[] }).peers, ['198.18.9.11'], 'the capability model has the uplink address');
  const c = webDbCaps();
  delete c['node-1'].uplinks.eth0.address;
  const refused = desired(t, c);
  assert.deepEqual(
    refused.errors.map((e) => [e.code, e.host]),
    [['no-underlay', 'node-1']],
  );
  assert.match(refused.errors[0].message, /hosts\.node-1\.address is the DNS name dom0-a\.example\.net/);
});
