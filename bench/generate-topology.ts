// A generated fleet for the plan benchmark: hosts in segments, VMs, TVDs, flows with controlled
// rules, the capability model of every host, and a state as if the whole fleet were deployed.
// Pure: sizes in, data out.
import type { Topology, FlowSpec } from '../src/topology/schema.js';
import type { Capabilities } from '../src/capabilities/schema.js';

export interface FleetSize {
  hosts: number;
  /** Per host. */
  vmsPerHost: number;
  tvds: number;
  flows: number;
  hostsPerSegment: number;
}

/** The reference point: 1,000 hosts / 10,000 VMs / 200 TVDs / 1,000 flows, scaled. */
export function fleetOf(hosts: number): FleetSize {
  return { hosts, vmsPerHost: 10, tvds: Math.max(2, Math.round(hosts / 5)), flows: hosts, hostsPerSegment: 50 };
}

const ip = (n: number) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const BASE = (198 << 24) | (18 << 16); // 198.18.0.0: lab/benchmark space only
const BIG_BASE = 10 << 24; // 10.0.0.0: private space, for fleets whose TVDs outgrow 198.18.0.0/16 (planned, never deployed)

/**
 * Shape (documented on the page): TVD t's VMs sit on a window of hosts that starts at
 * t*hosts/tvds and is twice as wide as one TVD's share, so each host carries VMs of about two
 * TVDs and each TVD spans about 2*hosts/tvds hosts (10 at the reference size). TVD subnets are
 * /26s from 198.18.0.0/16, hosts take addresses from 198.19.0.0/17 (the transit pool is 198.19.192.0/18). Flows pair TVDs far apart
 * (so their firewalls sit on different hosts): 60% controlled with 1–3 rules, 20% open, 20% closed.
 * No NIC sets a MAC: the planner derives them, as it would for an operator of that size.
 */
export function generateTopology(size: FleetSize): Topology {
  const pad = (p: string, i: number, n: number) => `${p}${String(i).padStart(String(n - 1).length, '0')}`;
  const hostName = (i: number) => pad('h', i, size.hosts);
  const tvdName = (i: number) => pad('t', i, size.tvds);
  const hosts: NonNullable<Topology['hosts']> = {};
  for (let i = 0; i < size.hosts; i++) {
    hosts[hostName(i)] = { address: ip(BASE + (1 << 16) + 10 + i), uplink: 'eth0', segment: `seg${Math.floor(i / size.hostsPerSegment)}` };
  }
  const tvds: Topology['tvds'] = {};
  // 198.18.0.0/16 holds 1,024 /26s (5,000 hosts); a larger fleet's TVDs take theirs from 10.0.0.0/8.
  const subnetBase = size.tvds * 64 <= 1 << 16 ? BASE : BIG_BASE;
  if (size.tvds * 64 > 1 << 24) throw new Error('too many TVDs for 10.0.0.0/8 in /26s');
  for (let t = 0; t < size.tvds; t++) tvds[tvdName(t)] = { subnet: `${ip(subnetBase + t * 64)}/26` };

  const vms: NonNullable<Topology['vms']> = {};
  const totalVms = size.hosts * size.vmsPerHost;
  const perTvd = Math.ceil(totalVms / size.tvds);
  const share = size.hosts / size.tvds;
  const used = new Map<number, number>();
  for (let v = 0; v < totalVms; v++) {
    const t = Math.floor(v / perTvd);
    const k = v % perTvd;
    const host = Math.floor(t * share + (k % Math.max(1, Math.round(2 * share)))) % size.hosts;
    const n = (used.get(t) ?? 0) + 1;
    used.set(t, n);
    if (n > 61) throw new Error('more VMs in one TVD than its /26 holds');
    vms[pad('vm', v, totalVms)] = {
      host: hostName(host),
      memory: 512,
      start: true,
      nics: [{ tvd: tvdName(t), ip: ip(subnetBase + t * 64 + 1 + n) }],
    };
  }

  const flows: FlowSpec[] = [];
  const seen = new Set<string>();
  const maxPairs = (size.tvds * (size.tvds - 1)) / 2;
  for (let f = 0, step = 1; flows.length < Math.min(size.flows, maxPairs); f++) {
    const a = f % size.tvds;
    const b = (a + Math.floor(size.tvds / 2) + step) % size.tvds;
    if (f % size.tvds === size.tvds - 1) step++;
    const key = a < b ? `${a}/${b}` : `${b}/${a}`;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    const kind = flows.length % 5;
    if (kind < 3) {
      const rules: FlowSpec['allow'] = [{ proto: 'tcp', port: 443 }];
      if (kind > 0) rules.push({ proto: 'udp', port: 53 });
      if (kind > 1) rules.push({ proto: 'icmp' });
      flows.push({ from: tvdName(a), to: tvdName(b), connection: 'controlled', allow: rules });
    } else {
      flows.push({ between: [tvdName(a), tvdName(b)], connection: kind === 3 ? 'open' : 'closed' });
    }
  }
  return { version: 1, defaults: { flow: 'closed' }, tvds, flows, hosts, vms };
}

export function capabilitiesFor(topology: Topology, collectedAt = '2026-11-26T10:00:00Z'): Capabilities[] {
  return Object.entries(topology.hosts ?? {}).map(([host, spec]) => ({
    host,
    collectedAt,
    functional: ['ethernet', 'ip'],
    mechanisms: { bridge: true, vlan: false, vxlan: true, gretap: false, etherip: false, nftables: true },
    uplinks: { eth0: { mtu: 9000, address: spec.address } },
    xen: { version: '4.17', toolstack: 'xl' },
    properties: { 'hypervisor-integrity': { value: 'sha256:00', evidence: 'mutable-log' } },
  }));
}
