// Unit tests of verify's pure parts: the inventory parser, findings to drift, pinned membership
// values, the watch interval, and the checks and actions of join/leave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseInventory, parseLinkLine } from '../../src/refresh/inventory.js';
import { driftFromFindings, mergeDrift } from '../../src/refresh/drift-from-findings.js';
import { continualTvds, intervalMs } from '../../src/verify/interval.js';
import { membershipFindings } from '../../src/verify/membership-findings.js';
import { changeActions, prepareChange } from '../../src/plan/active-membership.js';
import { checkMembership } from '../../src/plan/membership.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { caps, emptyState, webDb, webDbCaps } from '../plan/fixtures.js';
import type { State } from '../../src/state/state.js';
import type { Topology } from '../../src/topology/schema.js';
import { actionAddress } from '../../src/address/address.js';

const VXLAN =
  '3: tvx-9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master tvd-9 state UNKNOWN mode DEFAULT group default qlen 1000\\    link/ether 82:b3:96:26:03:32 brd ff:ff:ff:ff:ff:ff promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 \\    vxlan id 9 local 198.18.200.1 srcport 0 0 dstport 4789 ttl auto ageing 300 \\    bridge_slave state forwarding priority 32';
const VETH =
  '5: tvf-9@lan0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop master tvd-9 state DOWN mode DEFAULT group default qlen 1000\\    link/ether 86:53:ad:90:21:49 brd ff:ff:ff:ff:ff:ff promiscuity 1 \\    veth \\    bridge_slave state disabled';
const NIC =
  '2: eth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 02:18:05:00:00:01 brd ff:ff:ff:ff:ff:ff link-netnsid 0 promiscuity 0 addrgenmode eui64';

test('ip -d -o link lines: name, peer, kind, mtu, master, up, vxlan parameters', () => {
  assert.deepEqual(parseLinkLine(VXLAN), {
    name: 'tvx-9',
    kind: 'vxlan',
    mtu: 1450,
    master: 'tvd-9',
    up: true,
    params: { id: '9', local: '198.18.200.1', dstport: '4789' },
  });
  assert.deepEqual(parseLinkLine(VETH), { name: 'tvf-9', peer: 'lan0', kind: 'veth', mtu: 1500, master: 'tvd-9', up: false, params: {} });
  assert.equal(parseLinkLine(NIC)?.kind, '');
  assert.equal(parseLinkLine('garbage'), undefined);
});

test('inventory: every record, and refusal of a cut-off or foreign output', () => {
  // ip's, bridge's and sha256sum's own lines follow their header (`links NS`, `fdb`, `files`) until
  // another record; nft's and xl's come verbatim up to their end line.
  const ruleset = ['table inet tvd {', '\tchain forward {', '', '\t\tct state established,related accept', '\t}', '}'];
  const out = [
    'observe 3',
    'links -',
    VXLAN,
    'fdb',
    '33:33:00:00:00:01 dev eth0 self permanent',
    '00:00:00:00:00:00 dev tvx-9 dst 198.18.0.13 self permanent',
    '82:b3:96:26:03:32 dev tvx-9 vlan 1 master tvd-9 permanent',
    '00:00:00:00:00:00 dev tvx-9 dst 198.18.0.12 self permanent',
    '00:00:00:00:00:00 dev tvd-9 self permanent',
    NIC.replace(/^2: eth0@if4/, '7: stray'),
    'netns tvdfw-web',
    'links tvdfw-web',
    VETH,
    'ruleset tvdfw-web',
    ...ruleset,
    'ruleset-end',
    'netns tvdfw-db',
    'links tvdfw-db',
    'ruleset tvdfw-db',
    'ruleset-end',
    'files',
    `${'b'.repeat(64)}  /var/lib/tvd/policy.json`,
    `${'d'.repeat(64)} */etc/xen/tvd/w1.cfg`,
    `${'f'.repeat(64)}  /var/lib/tvd/fw/tvdfw-web.nft.loaded`,
    'xl',
    'Name                                        ID   Mem VCPUs\tState\tTime(s)',
    'Domain-0                                     0  1024     2     r-----      12.3',
    'w1                                           3   128     1     -b----       0.1',
    'xl-end',
    `${'e'.repeat(64)}  /etc/xen/tvd/stray.cfg`,
    '@@tvd manifest-begin',
    `h/vm/w1 ${'c'.repeat(64)}`,
    '@@tvd manifest-end',
    'end',
    '',
  ].join('\n');
  const r = parseInventory(out);
  assert.ok(r.ok, r.ok ? '' : r.error);
  const inv = r.inventory;
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  assert.deepEqual(
    inv.links[''].map((l) => l.name),
    ['tvx-9'],
  );
  assert.deepEqual(
    inv.links['tvdfw-web'].map((l) => l.name),
    ['tvf-9'],
  );
  assert.deepEqual(inv.fdb, { 'tvx-9': ['198.18.0.12', '198.18.0.13'] }, 'only all-zero entries with a dst');
  // The live digest is sha256sum's of nft's stdout, as the snapshot's is: blank lines and all.
  assert.deepEqual(inv.rulesets, {
    'tvdfw-web': { live: sha(ruleset.join('\n') + '\n'), loaded: 'f'.repeat(64) },
    'tvdfw-db': { live: sha('') },
  });
  assert.deepEqual(inv.domains, ['w1']);
  assert.deepEqual(
    inv.files,
    { '/var/lib/tvd/policy.json': 'b'.repeat(64), '/etc/xen/tvd/w1.cfg': 'd'.repeat(64) },
    'a digest after another record is not a file; a snapshot belongs to its ruleset',
  );
  assert.equal(inv.manifest?.get('h/vm/w1'), 'c'.repeat(64));
  assert.equal(parseInventory(out.replace('\nend\n', '\n')).ok, false);
  assert.equal(parseInventory('Welcome to the host!\n' + out).ok, false);
  assert.equal(parseInventory(out.replace('observe 3', 'observe 2')).ok, false, 'another format is refused');
  const cut = out.slice(0, out.indexOf('ruleset-end')) + 'end\n';
  assert.deepEqual(parseInventory(cut), { ok: false, error: 'the observation was cut off' }, 'cut off inside a ruleset');
});

test('findings to drift: one per address, foreign on its vswitch, membership is not drift; manifest drift wins', () => {
  const d = driftFromFindings([
    { kind: 'drift', host: 'h', address: 'h/vswitch/web', message: 'bridge tvd-1 is gone' },
    { kind: 'foreign', host: 'h', address: 'h/vswitch/web', message: 'vif3.0 is on bridge tvd-1' },
    { kind: 'membership', host: 'h', tvd: 'web', property: 'tpm', message: 'no' },
  ]);
  assert.deepEqual(d, [
    { address: 'h/vswitch/web', kind: 'changed', detail: 'bridge tvd-1 is gone; foreign port: vif3.0 is on bridge tvd-1' },
  ]);
  const merged = mergeDrift([{ address: 'h/vswitch/web', kind: 'missing', detail: 'no record' }], d);
  assert.deepEqual(
    merged.map((x) => x.kind),
    ['missing'],
  );
});

test('a requirement may pin the value: the short forms still work, a changed digest fails', () => {
  const t = webDb();
  const host = Object.values(t.hosts!)[0];
  const c = caps('host-a', '198.18.0.11', {}, { properties: { 'hypervisor-integrity': { value: 'sha256:aa', evidence: 'mutable-log' } } });
  const tvd = (requires: NonNullable<Topology['tvds'][string]['requires']>) => ({ requires });
  assert.deepEqual(checkMembership('web', tvd({ 'hypervisor-integrity': ['mutable-log'] }), 'host-a', host, c), []);
  assert.deepEqual(checkMembership('web', tvd({ 'hypervisor-integrity': 'any' }), 'host-a', host, c), []);
  assert.deepEqual(
    checkMembership('web', tvd({ 'hypervisor-integrity': { evidence: ['mutable-log'], value: 'sha256:aa' } }), 'host-a', host, c),
    [],
  );
  assert.deepEqual(
    checkMembership('web', tvd({ 'hypervisor-integrity': { evidence: 'any', value: ['sha256:bb', 'sha256:aa'] } }), 'host-a', host, c),
    [],
  );
  const [f] = checkMembership('web', tvd({ 'hypervisor-integrity': { evidence: ['mutable-log'], value: 'sha256:bb' } }), 'host-a', host, c);
  assert.equal(
    f.message,
    'host host-a does not meet tvds.web.requires.hypervisor-integrity: it offers mutable-log (from capabilities) with value "sha256:aa"; accepted: mutable-log with value "sha256:bb"',
  );
  assert.deepEqual(f.values, ['sha256:bb']);
});

test('membership findings name host, TVD, property, and what happens next', () => {
  const t = webDb();
  t.tvds.web.requires = { tpm: ['introspection'] };
  t.tvds.web.membership = { check: 'continual', onFailure: 'isolate' };
  const f = membershipFindings(t, webDbCaps());
  assert.ok(f.length > 0);
  assert.ok(f.every((x) => x.kind === 'membership' && x.tvd === 'web' && x.property === 'tpm'));
  assert.match(f[0].message, /cuts its VMs off from web \(membership\.onFailure: isolate\)$/);
});

test('watch interval: units, and the TVDs that ask for continual checks', () => {
  assert.equal(intervalMs('1s'), 1000);
  assert.equal(intervalMs('10m'), 600_000);
  assert.equal(intervalMs('2h'), 7_200_000);
  assert.equal(intervalMs('0s'), undefined);
  assert.equal(intervalMs('5d'), undefined);
  const t = webDb();
  t.tvds.web.membership = { check: 'continual' };
  t.tvds.db.membership = { check: 'continual', interval: '30s' };
  assert.deepEqual(continualTvds(t), [
    { tvd: 'db', ms: 30_000 },
    { tvd: 'web', ms: 600_000 },
  ]);
});

function applied(t: Topology): State {
  const s = emptyState();
  const { plan, desired } = buildPlan({ topology: t, topologyDigest: 'x', capabilities: webDbCaps(), state: s, hookDigest: 'h' });
  assert.deepEqual(plan.errors, []);
  return {
    ...s,
    serial: 1,
    resources: desired.resources.map((r) => ({ ...r.address, attrs: r.attrs, status: 'applied' as const })),
    allocations: desired.allocations,
  };
}

test('join/leave: refusals, and only the resources the change touches, the VM updated live', () => {
  const t = webDb();
  t.flows = [{ between: ['web', 'db'], connection: 'open' }];
  const state = applied(t);
  const vm = Object.keys(t.vms!).find((v) => t.vms![v].nics[0].tvd === 'web')!;
  const other = Object.keys(t.vms!).find((v) => t.vms![v].nics[0].tvd === 'db')!;
  assert.deepEqual(prepareChange(t, state, webDbCaps(), { kind: 'join', vm: 'nope', tvd: 'db' }), {
    ok: false,
    reason: 'the topology has no VM nope',
  });
  assert.match((prepareChange(t, state, webDbCaps(), { kind: 'join', vm, tvd: 'web' }) as { reason: string }).reason, /already a member/);
  assert.match((prepareChange(t, state, webDbCaps(), { kind: 'leave', vm, tvd: 'db' }) as { reason: string }).reason, /not a member/);

  // The matrix: closed both ways refuses; open both ways allows.
  const closed = structuredClone(t);
  closed.flows = [];
  assert.match(
    (prepareChange(closed, state, webDbCaps(), { kind: 'join', vm, tvd: 'db' }) as { reason: string }).reason,
    /flow matrix says web -> db is closed/,
  );
  const ok = prepareChange(t, state, webDbCaps(), { kind: 'join', vm, tvd: 'db' });
  assert.ok(ok.ok);
  const common = { topologyDigest: 'x', capabilities: webDbCaps(), state, hookDigest: 'h' };
  const base = buildPlan({ ...common, topology: ok.base });
  const next = buildPlan({ ...common, topology: ok.next });
  const acts = changeActions(base.desired.resources, next.desired.resources, state).map((a) => `${a.action} ${actionAddress(a)}`);
  const host = t.vms![vm].host;
  assert.ok(acts.includes(`update ${host}/vm/${vm}`), acts.join('\n'));
  assert.ok(acts.includes(`update ${host}/proxy/${host}`), acts.join('\n'));
  // db now spans both hosts: its tunnels appear, and its MTU (hence the other db VM's config) shrinks.
  assert.ok(
    acts.some((a) => /^create .*\/encap\/db$/.test(a)),
    acts.join('\n'),
  );
  assert.ok(
    acts.every((a) => !a.startsWith('replace') && !a.startsWith('delete')),
    `nothing restarts, nothing goes:\n${acts.join('\n')}`,
  );
  assert.ok(
    acts.every((a) => !/\/(vswitch|encap|firewall)\/web$/.test(a)),
    `web is left alone:\n${acts.join('\n')}`,
  );
  assert.ok(other);

  // Membership requirements of the TVD joined, on the VM's host, now.
  const strict = structuredClone(t);
  strict.tvds.db.requires = { 'storage-encryption': ['audit'] };
  strict.tvds.db.membership = { check: 'continual', onFailure: 'warn' };
  assert.match(
    (prepareChange(strict, state, webDbCaps(), { kind: 'join', vm, tvd: 'db' }) as { reason: string }).reason,
    /does not meet tvds\.db\.requires\.storage-encryption/,
  );
});

test('join --mac: a MAC another NIC has (deployed, or given by hand) is refused, since taking it would change that NIC', () => {
  const t = webDb();
  t.flows = [{ between: ['web', 'db'], connection: 'open' }];
  t.vms!.d2 = { host: 'node-1', memory: 128, nics: [{ tvd: 'db', mac: '00:16:3e:80:00:01' }] };
  const state = applied(t);
  const deployed = (state.resources.find((r) => r.type === 'vm' && r.name === 'd1')!.attrs as { nics: { mac: string }[] }).nics[0].mac;
  const join = (mac: string) => prepareChange(t, state, webDbCaps(), { kind: 'join', vm: 'w1', tvd: 'db', mac });
  assert.deepEqual(join(deployed), {
    ok: false,
    reason: `--mac ${deployed} is already the MAC of d1's NIC on db; leave --mac out to have a free one derived`,
  });
  assert.match((join('00:16:3E:80:00:01') as { reason: string }).reason, /already the MAC of d2's NIC on db/);
  assert.ok(join('00:16:3e:80:00:02').ok);
  // Without --mac the joining NIC gets a MAC no deployed NIC has.
  const ok = prepareChange(t, state, webDbCaps(), { kind: 'join', vm: 'w1', tvd: 'db' });
  assert.ok(ok.ok);
  const next = buildPlan({ topologyDigest: 'x', capabilities: webDbCaps(), state, hookDigest: 'h', topology: ok.next });
  assert.deepEqual(next.plan.errors, []);
  const macs = next.desired.resources
    .filter((r) => r.address.type === 'vm')
    .flatMap((r) => (r.attrs as { nics: { mac: string }[] }).nics.map((n) => n.mac));
  assert.equal(new Set(macs).size, macs.length);
});

test("compare, without a kernel that has them: VLAN device, dedicated NIC and per-peer GRETAP ports are tvd's; anything else on the bridge is foreign", async () => {
  const fx = await import('../render/fixtures.js');
  const { compareHost } = await import('../../src/refresh/compare.js');
  const { perPeerDevice } = await import('../../src/apply/render/encap.js');
  const resources = [fx.vswitch, fx.vswitchDedicated, fx.vlan, fx.encapGretap];
  const state = resources.map((r) => ({ ...r.address, attrs: r.attrs, status: 'applied' as const }));
  const link = (name: string, kind: string, mtu: number, master?: string) => ({
    name,
    kind,
    mtu,
    up: true,
    params: {},
    ...(master ? { master } : {}),
  });
  const [p1, p2] = ['198.18.0.12', '198.18.0.13'].map((p) => perPeerDevice('tvg-5101', p));
  const inv = {
    links: {
      '': [
        link('tvd-5101', 'bridge', 1450),
        link('tvd-5103', 'bridge', 1500),
        link('eth1', '', 1500, 'tvd-5103'),
        link('tvq-101', 'vlan', 1500, 'tvd-5101'),
        link(p1, 'gretap', 1462, 'tvd-5101'),
        link(p2, 'gretap', 1462, 'tvd-5101'),
      ],
    },
    fdb: {},
    namespaces: [],
    rulesets: {},
    files: {},
    domains: [],
  };
  assert.deepEqual(compareHost('host-a', state, inv), []);
  inv.links[''].push(link('eth2', '', 1500, 'tvd-5103'));
  inv.links[''] = inv.links[''].filter((l) => l.name !== p2);
  const found = compareHost('host-a', state, inv).map((f) => `${f.kind} ${f.address}: ${f.message}`);
  assert.deepEqual(found, [
    `drift host-a/encap/web: tunnel ${p2} is gone`,
    'foreign host-a/vswitch/finance: eth2 is on bridge tvd-5103 of TVD finance, and tvd did not put it there',
  ]);
});
