// Confidential TVDs in the planner (issue 23), pure: VXLAN inside WireGuard between every pair of
// a confidential TVD's hosts, errors that name the TVD, the hosts and what is missing, public
// keys alone in the plan, keys from the state without a refresh, rotation as an update, and the
// rendered scripts, which hold no private key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import { proveConfidentiality, wireguardKeyNeeds } from '../../src/plan/wireguard.js';
import type { Capabilities } from '../../src/capabilities/schema.js';
import type { Topology } from '../../src/topology/schema.js';
import type { AnyResource, Resource } from '../../src/plan/resources.js';
import type { State } from '../../src/state/state.js';
import { renderDown, renderUp } from '../../src/apply/render/index.js';
import { parseProbe } from '../../src/capabilities/parse-probe.js';
import { splitWireguardKey, wireguardKeyScript } from '../../src/apply/render/wireguard-key.js';
import { caps, emptyState } from './fixtures.js';
import { actionAddress } from '../../src/address/address.js';

const KEYS = {
  h1: 'gTm1j2TdDlqp9rvL4ESctS7LmGXIyU8CiZeHgop+BXE=',
  h2: 'n9CT/tFgot+KXZaFgKZNwqsEgiolnTTSEoTjllwmygM=',
  h3: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
};

function topology(): Topology {
  return {
    version: 1,
    tvds: { vault: { subnet: '198.19.31.0/24', confidentiality: 'required' }, lobby: { subnet: '198.19.32.0/24' } },
    hosts: {
      h1: { address: '198.18.0.11', uplink: 'eth0', segment: 'a' },
      h2: { address: '198.18.0.12', uplink: 'eth0', segment: 'a' },
      h3: { address: '198.18.0.13', uplink: 'eth0', segment: 'a' },
    },
    vms: {
      v1: { host: 'h1', memory: 128, nics: [{ tvd: 'vault', ip: '198.19.31.10' }] },
      v2: { host: 'h2', memory: 128, nics: [{ tvd: 'vault', ip: '198.19.31.11' }] },
      l1: { host: 'h1', memory: 128, nics: [{ tvd: 'lobby', ip: '198.19.32.10' }] },
      l3: { host: 'h3', memory: 128, nics: [{ tvd: 'lobby', ip: '198.19.32.11' }] },
    },
  };
}

function allCaps(
  over: Record<string, Partial<Capabilities['mechanisms']>> = {},
  keys: Record<string, number> = { h1: 1, h2: 1, h3: 1 },
): Record<string, Capabilities> {
  const out: Record<string, Capabilities> = {};
  for (const [h, a] of [
    ['h1', '198.18.0.11'],
    ['h2', '198.18.0.12'],
    ['h3', '198.18.0.13'],
  ] as const) {
    // VLAN-capable in one segment: a plain TVD would take a VLAN, a confidential one must not.
    out[h] = caps(
      h,
      a,
      { vlan: true, 'wireguard-go': true, ...over[h] },
      keys[h] ? { wireguardKey: { generation: keys[h], publicKey: KEYS[h] } } : {},
    );
  }
  return out;
}

const plan = (t: Topology, c: Record<string, Capabilities>, state: State = emptyState()) =>
  buildPlan({ topology: t, topologyDigest: 'sha256:x', capabilities: c, state, hookDigest: 'h' });
const find = <T extends AnyResource['address']['type']>(rs: AnyResource[], host: string, type: T, name: string) =>
  rs.find((r) => r.address.host === host && r.address.type === type && r.address.name === name) as Resource<T> | undefined;

test('a confidential TVD crosses inside WireGuard even where a VLAN fits; the plain one takes the VLAN', () => {
  const { plan: p, desired } = plan(topology(), allCaps());
  assert.deepEqual(p.errors, []);
  const rs = desired.resources;
  assert.ok(find(rs, 'h1', 'vlan', 'lobby'), 'lobby uses a VLAN');
  assert.equal(find(rs, 'h1', 'vlan', 'vault'), undefined);
  const w1 = find(rs, 'h1', 'wireguard', 'h1')!;
  const w2 = find(rs, 'h2', 'wireguard', 'h2')!;
  assert.equal(find(rs, 'h3', 'wireguard', 'h3'), undefined, 'h3 carries no confidential TVD');
  assert.equal(w1.attrs.implementation, 'wireguard-go');
  assert.equal(w1.attrs.publicKey, KEYS.h1);
  assert.deepEqual(
    w1.attrs.peers.map((x) => [x.host, x.publicKey, x.endpoint, x.address]),
    [['h2', KEYS.h2, '198.18.0.12', w2.attrs.address.split('/')[0]]],
  );
  assert.equal(w1.attrs.mtu, 1440);
  const e1 = find(rs, 'h1', 'encap', 'vault')!;
  assert.equal(e1.attrs.uplink, 'tvdwg0');
  assert.equal(e1.attrs.local, w1.attrs.address.split('/')[0]);
  assert.deepEqual(e1.attrs.peers, [w2.attrs.address.split('/')[0]]);
  assert.equal(e1.attrs.mtu, 1390);
  assert.equal(find(rs, 'h1', 'vswitch', 'vault')!.attrs.mtu, 1390);
  assert.deepEqual(p.crossings!.find((c) => c.tvd === 'vault')!.pairs, [{ hosts: ['h1', 'h2'], mechanism: 'wireguard' }]);
  assert.ok(desired.allocations.wireguard?.h1 !== undefined && desired.allocations.wireguard.h1 !== desired.allocations.wireguard.h2);
  assert.ok(
    p.warnings.some((w) => /vault: vxlan inside WireGuard .* leaves 1390 .* to 1610/.test(w)),
    p.warnings.join('\n'),
  );
});

test('the static proof of confidentiality finds a VXLAN endpoint or transit link outside WireGuard, and a VLAN', () => {
  const t = topology();
  t.tvds.vault.firewall = 'h1';
  t.tvds.lobby.firewall = 'h3';
  t.flows = [{ from: 'vault', to: 'lobby', connection: 'controlled', allow: [{ proto: 'icmp' }] }];
  const rs = plan(t, allCaps()).desired.resources;
  assert.deepEqual(proveConfidentiality(t, rs), []);
  const broken = rs.map((r) => {
    if (r.address.type === 'encap' && r.address.name === 'vault' && r.address.host === 'h2')
      return { ...r, attrs: { ...r.attrs, uplink: 'eth0' } };
    if (r.address.type === 'transit' && r.address.host === 'h3') return { ...r, attrs: { ...r.attrs, remote: '198.18.0.11' } };
    return r;
  }) as AnyResource[];
  broken.push({
    address: { host: 'h1', type: 'vlan', name: 'vault' },
    attrs: { tvd: 'vault', bridge: 'tvd-1', uplink: 'eth0', id: 5, device: 'tvl-5' },
  });
  assert.deepEqual(
    proveConfidentiality(t, broken)
      .map((m) => m.replace(/static proof failed: (\S+) .*/, '$1'))
      .sort(),
    ['h1/vlan/vault', 'h2/encap/vault', 'h3/transit/lobby--vault'],
  );
});

test('a host without WireGuard: the error names the TVD, both hosts and what is missing; kernel wins over wireguard-go', () => {
  const { plan: p } = plan(topology(), allCaps({ h2: { 'wireguard-go': false } }));
  assert.equal(p.actions.length, 0);
  assert.deepEqual(
    p.errors.map((e) => [e.code, e.tvd, e.host]),
    [['no-mechanism', 'vault', 'h1,h2']],
  );
  assert.match(p.errors[0].message, /TVD vault requires confidentiality .* between hosts h1 and h2: h2 lacks WireGuard/);
  const kernel = plan(topology(), allCaps({ h1: { wireguard: true } })).desired.resources;
  assert.equal(find(kernel, 'h1', 'wireguard', 'h1')!.attrs.implementation, 'kernel');
  assert.equal(find(kernel, 'h2', 'wireguard', 'h2')!.attrs.implementation, 'wireguard-go');
});

test('public keys come from the refresh, else from the state; without either the plan says to refresh', () => {
  const first = plan(topology(), allCaps());
  const state: State = {
    ...emptyState(),
    serial: 1,
    allocations: first.desired.allocations,
    resources: first.desired.resources.map((r) => ({
      host: r.address.host,
      type: r.address.type,
      name: r.address.name,
      status: 'applied' as const,
      attrs: r.attrs,
    })) as State['resources'],
  };
  // --refresh=false with capability files that carry no key: the state's keys, and nothing to do.
  const offline = plan(topology(), allCaps({}, {}), state);
  assert.deepEqual(offline.plan.errors, []);
  assert.deepEqual(offline.plan.actions, []);
  const none = plan(topology(), allCaps({}, {}));
  assert.deepEqual(none.plan.errors.map((e) => e.code).sort(), ['no-wireguard-key', 'no-wireguard-key']);
  assert.match(none.plan.errors[0].message, /host h1 needs a WireGuard key \(generation 1\).*plan without --capabilities/);

  // Rotation: h2's next generation updates h2's tunnel and h1's (its peer), and nothing else.
  const t = topology();
  t.hosts!.h2.keyGeneration = 2;
  const rotated = allCaps({}, { h1: 1, h2: 2 });
  rotated.h2.wireguardKey = { generation: 2, publicKey: KEYS.h3 };
  const rot = plan(t, rotated, state);
  assert.deepEqual(rot.plan.errors, []);
  assert.deepEqual(rot.plan.actions.map((a) => `${a.action} ${actionAddress(a)}`).sort(), [
    'update h1/wireguard/h1',
    'update h2/wireguard/h2',
  ]);
  // A stale key (the old generation) is not taken for the new one.
  assert.deepEqual(
    plan(t, allCaps({}, { h1: 1, h2: 1 }), state).plan.errors.map((e) => e.host),
    ['h2'],
  );
});

test('the WireGuard pool: a subnet inside it is an error only where WireGuard is used', () => {
  const t = topology();
  t.tvds.lobby.subnet = '198.19.176.0/24';
  t.vms!.l1.nics[0].ip = '198.19.176.10';
  t.vms!.l3.nics[0].ip = '198.19.176.11';
  assert.deepEqual(
    plan(t, allCaps()).plan.errors.map((e) => [e.code, e.tvd]),
    [['wireguard-pool', 'lobby']],
  );
  delete t.tvds.vault.confidentiality;
  assert.deepEqual(plan(t, allCaps()).plan.errors, []);
});

test('a transit link that carries a confidential TVD runs inside WireGuard', () => {
  const t = topology();
  t.tvds.vault.firewall = 'h1';
  t.tvds.lobby.firewall = 'h3';
  t.flows = [{ from: 'vault', to: 'lobby', connection: 'controlled', allow: [{ proto: 'icmp' }] }];
  const { plan: p, desired } = plan(t, allCaps());
  assert.deepEqual(p.errors, []);
  const tr = find(desired.resources, 'h3', 'transit', 'lobby--vault')!;
  assert.equal(tr.attrs.uplink, 'tvdwg0');
  const w3 = find(desired.resources, 'h3', 'wireguard', 'h3')!;
  assert.equal(tr.attrs.local, w3.attrs.address.split('/')[0]);
  assert.deepEqual(
    w3.attrs.peers.map((x) => x.host),
    ['h1'],
  );
  assert.deepEqual(
    find(desired.resources, 'h1', 'wireguard', 'h1')!.attrs.peers.map((x) => x.host),
    ['h2', 'h3'],
  );
  assert.deepEqual(wireguardKeyNeeds(t), { h1: 1, h2: 1, h3: 1 });
  assert.deepEqual(wireguardKeyNeeds(topology()), { h1: 1, h2: 1 });
});

test('rendered scripts: public keys and key paths only; up refuses another key; down removes keys, daemon socket, interface', () => {
  const { desired } = plan(topology(), allCaps());
  const w = find(desired.resources, 'h1', 'wireguard', 'h1')!;
  const up = renderUp(w);
  assert.match(up, /private-key \/var\/lib\/tvd\/wireguard\/1\.key/);
  assert.match(up, /wireguard-go 'tvdwg0' <\/dev\/null >\/dev\/null 2>&1/);
  assert.match(up, /not the one this plan was made with/);
  assert.ok(up.includes(KEYS.h2) && up.includes(KEYS.h1));
  const down = renderDown(w);
  assert.match(down, /ip link del dev 'tvdwg0'/);
  assert.match(down, /rm -f \/var\/lib\/tvd\/wireguard\/\*\.key/);
  assert.match(down, /tvd_rmdir \/var\/run\/wireguard/);
  const bad = { ...w, attrs: { ...w.attrs, peers: [{ ...w.attrs.peers[0], publicKey: "x'; reboot #" }] } };
  assert.throws(() => renderUp(bad), /refusing to render unsafe WireGuard public key/);
});

test('the probe reports both WireGuard mechanisms; the refresh reads back a public key line alone', () => {
  const out = [
    'probe 1',
    'uid 0',
    'mech bridge 1',
    'mech vxlan 1',
    'mech wireguard 0',
    'mech wireguard-go 1',
    'link eth0 1500',
    'addr eth0 198.18.0.11/24',
    'end',
    '',
  ].join('\n');
  const p = parseProbe('h1', out, '2026-01-01T00:00:00Z');
  assert.ok(p.ok);
  if (p.ok) assert.deepEqual([p.capabilities.mechanisms.wireguard, p.capabilities.mechanisms['wireguard-go']], [false, true]);
  const split = splitWireguardKey(`wgkey 3 ${KEYS.h1}\n${out}`);
  assert.deepEqual(split.key, { generation: 3, publicKey: KEYS.h1 });
  assert.equal(split.rest, out);
  assert.equal(splitWireguardKey(`wgkey 3 not-a-key\n${out}`).key, undefined);
  const script = wireguardKeyScript(3);
  assert.match(script, /wg genkey >\/var\/lib\/tvd\/wireguard\/3\.key\.\$\$ && ln /);
  assert.match(script, /umask 077/);
  assert.doesNotMatch(script, /cat .*\.key|echo .*\.key/);
});
