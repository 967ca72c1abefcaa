// The static proof tries only the pairs of (TVD, L2 domain) groups that can fail (it was
// quadratic: bench/plan-scale.ts). Here it must say exactly what the all-pairs proof says
// (reachability-reference.ts), mismatch for mismatch and in the same order, on small random
// fleets (seeded), both defaults, the planner's own resources and resources with seeded faults,
// and matrices that disagree with the resources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { buildDesired } from '../../src/plan/desired.js';
import { probesFor, proveReachability, type ProofInput } from '../../src/plan/reachability.js';
import { flowMatrix } from '../../src/plan/flow-matrix.js';
import { checkSources } from '../../src/topology/load.js';
import { emptyAllocations } from '../../src/state/state.js';
import type { AllowRule, FlowSpec, Topology } from '../../src/topology/schema.js';
import type { Capabilities } from '../../src/capabilities/schema.js';
import type {
  AnyResource,
  EncapAttrs,
  FirewallAttrs,
  ProxyAttrs,
  TransitAttrs,
  VlanAttrs,
  VmAttrs,
  VswitchAttrs,
} from '../../src/plan/resources.js';
import { caps } from './fixtures.js';
import { referenceProbes, referenceProof } from './reachability-reference.js';

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

type Rnd = () => number;
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

function randomRules(rnd: Rnd): AllowRule[] {
  const rules: AllowRule[] = [];
  for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
    const proto = pick(rnd, ['tcp', 'udp', 'icmp'] as const);
    rules.push(proto === 'icmp' || rnd() < 0.3 ? { proto } : { proto, port: pick(rnd, [22, 53, 80, 443]) });
  }
  return rules;
}

function randomFlows(rnd: Rnd, tvds: string[]): FlowSpec[] {
  const flows: FlowSpec[] = [];
  const seen = new Set<string>();
  for (let k = Math.floor(rnd() * tvds.length * 1.5); k > 0; k--) {
    const [a, b] = [pick(rnd, tvds), pick(rnd, tvds)];
    const key = [a, b].sort().join('/');
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    const connection = pick(rnd, ['open', 'closed', 'controlled'] as const);
    const allow = connection === 'controlled' ? { allow: randomRules(rnd) } : {};
    flows.push(rnd() < 0.5 ? { from: a, to: b, connection, ...allow } : { between: [a, b], connection, ...allow });
  }
  return flows;
}

function randomFleet(rnd: Rnd): { topology: Topology; capabilities: Record<string, Capabilities> } {
  const hosts = Array.from({ length: 1 + Math.floor(rnd() * 5) }, (_, i) => `h${i}`);
  const tvds = Array.from({ length: 2 + Math.floor(rnd() * 5) }, (_, i) => `t${i}`);
  const topology: Topology = {
    version: 1,
    defaults: { flow: rnd() < 0.3 ? 'open' : 'closed' },
    tvds: Object.fromEntries(
      tvds.map((t, i) => [t, { subnet: `198.19.${i + 1}.0/24`, ...(rnd() < 0.2 ? { firewall: pick(rnd, hosts) } : {}) }]),
    ),
    flows: randomFlows(rnd, tvds),
    hosts: Object.fromEntries(
      hosts.map((h, i) => [
        h,
        {
          address: `198.18.9.${10 + i}`,
          uplink: 'eth0',
          segment: rnd() < 0.7 ? 'a' : 'b',
          ...(rnd() < 0.15 ? { dedicated: { [pick(rnd, tvds)]: 'eth1' } } : {}),
        },
      ]),
    ),
    vms: {},
  };
  for (let v = 0, n = 1 + Math.floor(rnd() * 9); v < n; v++) {
    const nics = [{ tvd: pick(rnd, tvds) }];
    if (rnd() < 0.2) nics.push({ tvd: pick(rnd, tvds) });
    topology.vms![`vm${v}`] = { host: pick(rnd, hosts), memory: 128, nics };
  }
  const capabilities = Object.fromEntries(
    hosts.map((h, i) => [
      h,
      caps(
        h,
        `198.18.9.${10 + i}`,
        { vlan: rnd() < 0.4, vxlan: rnd() < 0.9 },
        rnd() < 0.2 ? { uplinks: { eth0: { mtu: 1500, address: `198.18.9.${10 + i}` }, eth1: { mtu: 1500 } } } : {},
      ),
    ]),
  );
  return { topology, capabilities };
}

/** One seeded fault in what the planner produced: the kinds of bug the proof is there to catch. */
function fault(rnd: Rnd, rs: AnyResource[]): void {
  const of = (type: string) => rs.filter((r) => r.address.type === type);
  const one = (type: string) => {
    const xs = of(type);
    return xs.length ? pick(rnd, xs) : undefined;
  };
  switch (Math.floor(rnd() * 11)) {
    case 0: {
      if (rs.length) rs.splice(Math.floor(rnd() * rs.length), 1);
      return;
    }
    case 1: {
      const fw = one('firewall')?.attrs as FirewallAttrs | undefined;
      if (fw?.rules.length) fw.rules.splice(Math.floor(rnd() * fw.rules.length), 1);
      return;
    }
    case 2: {
      const fw = one('firewall')?.attrs as FirewallAttrs | undefined;
      if (fw?.rules.length) {
        const r = pick(rnd, fw.rules);
        if (rnd() < 0.5) r.direction = r.direction === 'outbound' ? 'inbound' : 'outbound';
        else delete r.port;
      }
      if (fw && rnd() < 0.3)
        fw.rules.push({
          direction: pick(rnd, ['outbound', 'inbound'] as const),
          peer: pick(rnd, [...fw.peers.map((p) => p.tvd), 't0', 't1']),
        });
      return;
    }
    case 3: {
      const fw = one('firewall')?.attrs as FirewallAttrs | undefined;
      if (fw?.peers.length) fw.peers.splice(Math.floor(rnd() * fw.peers.length), 1);
      return;
    }
    case 4: {
      const e = one('encap')?.attrs as EncapAttrs | undefined;
      if (e?.peers.length) e.peers.splice(Math.floor(rnd() * e.peers.length), 1);
      else if (e) e.vni++;
      return;
    }
    case 5: {
      const t = one('transit')?.attrs as TransitAttrs | undefined;
      if (t?.kind === 'vxlan') t.remote = '198.18.9.99';
      else if (t?.ends.length === 2) t.ends[1] = { ...t.ends[1], ifname: 'other' };
      return;
    }
    case 6: {
      const p = one('proxy')?.attrs as ProxyAttrs | undefined;
      if (p?.admissions.length) p.admissions.splice(Math.floor(rnd() * p.admissions.length), 1);
      return;
    }
    case 7: {
      const vm = one('vm')?.attrs as VmAttrs | undefined;
      const sw = one('vswitch')?.attrs as VswitchAttrs | undefined;
      if (vm?.nics.length && sw) pick(rnd, vm.nics).bridge = sw.bridge;
      return;
    }
    case 8: {
      const v = one('vlan')?.attrs as VlanAttrs | undefined;
      if (v) v.id = v.id === 2 ? 3 : 2;
      return;
    }
    case 9: {
      // A NIC on another TVD's bridge that the proxy admits there: two TVDs share one Ethernet.
      const vm = one('vm');
      const sw = one('vswitch')?.attrs as VswitchAttrs | undefined;
      const nic = vm && (vm.attrs as VmAttrs).nics.length ? pick(rnd, (vm.attrs as VmAttrs).nics) : undefined;
      const proxy =
        vm && (rs.find((r) => r.address.type === 'proxy' && r.address.host === vm.address.host)?.attrs as ProxyAttrs | undefined);
      if (!nic || !sw || !proxy) return;
      for (const a of proxy.admissions) if (a.vm === vm.address.name && a.bridge === nic.bridge && a.mac === nic.mac) a.bridge = sw.bridge;
      nic.bridge = sw.bridge;
      return;
    }
    default: {
      // A firewall that claims a peer it has no link for, or another TVD's firewall.
      const fw = one('firewall')?.attrs as FirewallAttrs | undefined;
      if (fw && rnd() < 0.5) fw.peers.push({ tvd: pick(rnd, ['t0', 't1', 't2']), subnet: '198.19.200.0/24', ifname: 'x' });
      else if (fw) fw.tvd = pick(rnd, ['t0', 't1', 't2']);
    }
  }
}

test('the proof says exactly what the all-pairs proof says, on 600 random fleets', () => {
  let planned = 0;
  let failing = 0;
  let openDefault = 0;
  for (let seed = 1; seed <= 600; seed++) {
    const rnd = random(seed);
    const { topology, capabilities } = randomFleet(rnd);
    const loaded = checkSources([{ file: 'random.yaml', text: yaml.dump(topology) }]);
    if (!loaded.ok) continue; // the generator made something the checks refuse: nothing to plan
    const d = buildDesired({ topology, capabilities, allocations: emptyAllocations(), hookDigest: 'h' });
    if (d.errors.length) continue;
    planned++;
    const resources = structuredClone(d.resources);
    const faults = Math.floor(rnd() * 4);
    for (let k = 0; k < faults; k++) fault(rnd, resources);
    // Sometimes the proof is held to another matrix than the one planned for.
    const againstTopology: Topology =
      rnd() < 0.3
        ? { ...topology, defaults: { flow: rnd() < 0.5 ? 'open' : 'closed' }, flows: randomFlows(rnd, Object.keys(topology.tvds)) }
        : topology;
    const matrix = flowMatrix(againstTopology);
    if (matrix.fallback === 'open') openDefault++;
    const isolated =
      rnd() < 0.2
        ? [...d.isolated, { host: pick(rnd, Object.keys(topology.hosts!)), tvd: pick(rnd, Object.keys(topology.tvds)) }]
        : d.isolated;
    const segments = Object.fromEntries(Object.entries(topology.hosts!).map(([h, s]) => [h, s.segment]));
    const input: ProofInput = { resources, matrix, segments, isolated };
    const want = referenceProof(input);
    assert.deepEqual(probesFor(matrix), referenceProbes(matrix), `seed ${seed}: probes`);
    assert.deepEqual(proveReachability(input), want, `seed ${seed}: ${JSON.stringify(againstTopology)}`);
    if (want.length) failing++;
  }
  // The comparison means something only if both kinds of outcome, and both defaults, occurred often.
  assert.ok(planned >= 300, `only ${planned} fleets planned`);
  assert.ok(failing >= 100 && planned - failing >= 100, `${failing} of ${planned} had mismatches`);
  assert.ok(openDefault >= 50, `only ${openDefault} proofs under defaults.flow: open`);
});

test('the proof still says exactly what the all-pairs proof says at the benchmark fleet shape, 100 hosts', async () => {
  const { capabilitiesFor, fleetOf, generateTopology } = await import('../../bench/generate-topology.js');
  const topology = generateTopology(fleetOf(100));
  const capabilities = Object.fromEntries(capabilitiesFor(topology).map((c) => [c.host, c]));
  const d = buildDesired({ topology, capabilities, allocations: emptyAllocations(), hookDigest: 'h' });
  assert.deepEqual(d.errors, []);
  const segments = Object.fromEntries(Object.entries(topology.hosts!).map(([h, s]) => [h, s.segment]));
  const rnd = random(7);
  for (let k = 0; k < 20; k++) {
    const resources = structuredClone(d.resources);
    if (k > 0) for (let f = 0; f < 3; f++) fault(rnd, resources);
    const input: ProofInput = { resources, matrix: d.matrix, segments, isolated: d.isolated };
    const want = referenceProof(input);
    assert.deepEqual(proveReachability(input), want, `round ${k}`);
    if (k === 0) assert.deepEqual(want, []);
  }
});
