// Where `tvd verify --probe` puts its probe endpoints and what it expects between them. Pure:
// from the topology (the matrix, the subnets, the VMs' addresses) and the state (which hosts
// carry which TVD's vSwitch, and each TVD firewall's gateway), never from a host.
//
// A probe endpoint is a network namespace in a Dom0 with a veth on one TVD's bridge and an
// address of that TVD's subnet that no VM holds, so to the firewalls it is a member of the TVD.
// Per TVD, by default, the first two hosts (by name) that carry its vSwitch, so that every pair
// of TVDs is tried on one host and across hosts where the fleet allows it; `--probe-hosts`
// narrows the choice to the hosts named. Between every two endpoints of different TVDs, and two
// of one TVD on different hosts, every kind of probe of expected-reach.ts is tried.
import type { Topology } from '../topology/schema.js';
import type { State } from '../state/state.js';
import type { FirewallAttrs, VmAttrs, VswitchAttrs } from '../plan/resources.js';
import { flowMatrix } from '../plan/flow-matrix.js';
import { intToIp, ipToInt, parseCidr } from '../topology/cidr.js';
import { entryAllows, probeKinds } from './expected-reach.js';

/** Every name tvd gives a probe (its namespace and its host-side veth) starts so. */
export const PROBE_PREFIX = 'tvdp-';

export interface ProbeEndpoint {
  /** The namespace and the host-side veth: `tvdp-<TVD id>`, one per TVD and host. */
  name: string;
  host: string;
  tvd: string;
  bridge: string;
  address: string;
  prefix: number;
  mac: string;
  mtu: number;
  /** The TVD firewall's address, the default route; absent for a TVD without a firewall. */
  gateway?: string;
}

export interface ProbeCheck {
  /** Index into the plan's endpoints. */
  from: number;
  to: number;
  /** 'icmp' or 'tcp/PORT'. */
  probe: string;
  expected: boolean;
}

export interface UnprobedPair {
  from: string;
  to: string;
  reason: string;
}

export interface ProbePlan {
  endpoints: ProbeEndpoint[];
  checks: ProbeCheck[];
  /** TCP ports every endpoint listens on. */
  ports: number[];
  /** Ordered pairs of TVDs the matrix names that no check covers, and why. */
  unprobed: UnprobedPair[];
}

export interface ProbePlanOptions {
  /** Only these hosts (`--probe-hosts`); default: per TVD the first `perTvd` hosts with its vSwitch. */
  hosts?: string[];
  perTvd?: number;
}

/** A locally administered MAC, `02:70:` and the address: stable, unique as the address is, and apart from tvd's other MACs (02:74:). */
export function probeMac(ip: string): string {
  return ['02', '70', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The probe's name for a bridge `tvd-<id>`; undefined for a bridge tvd did not name so. */
export function probeName(bridge: string): string | undefined {
  const id = /^tvd-(\d+)$/.exec(bridge)?.[1];
  return id === undefined ? undefined : `${PROBE_PREFIX}${id}`;
}

export function planProbes(t: Topology, state: State, o: ProbePlanOptions = {}): ProbePlan {
  const m = flowMatrix(t);
  const live = state.resources.filter((r) => r.status !== 'tainted');
  const allowedHost = (h: string) => o.hosts === undefined || o.hosts.includes(h);
  const vswitches = new Map<string, { host: string; attrs: VswitchAttrs }[]>();
  for (const r of live) {
    if (r.type !== 'vswitch') continue;
    const a = r.attrs as VswitchAttrs;
    if (!allowedHost(r.host)) continue;
    const list = vswitches.get(a.tvd) ?? [];
    list.push({ host: r.host, attrs: a });
    vswitches.set(a.tvd, list);
  }
  const gateways = new Map<string, string>();
  for (const r of live) if (r.type === 'firewall') gateways.set((r.attrs as FirewallAttrs).tvd, (r.attrs as FirewallAttrs).gateway);
  // Addresses VMs hold or may hold: the topology's and the state's (a VM removed from the file still runs until apply).
  const held = new Set<number>();
  for (const v of Object.values(t.vms ?? {})) for (const n of v.nics) if (n.ip) held.add(ipToInt(n.ip)!);
  for (const r of live) if (r.type === 'vm') for (const n of (r.attrs as VmAttrs).nics) if (n.ip) held.add(ipToInt(n.ip)!);
  for (const g of gateways.values()) held.add(ipToInt(g)!);

  const endpoints: ProbeEndpoint[] = [];
  const why = new Map<string, string>();
  for (const tvd of m.tvds) {
    const spec = t.tvds[tvd];
    const subnet = spec.subnet ? parseCidr(spec.subnet) : undefined;
    if (!subnet) {
      why.set(tvd, `TVD ${tvd} has no subnet`);
      continue;
    }
    const gateway = gateways.get(tvd);
    if (gateway === undefined && spec.gateway) held.add(ipToInt(spec.gateway)!);
    let hosts = (vswitches.get(tvd) ?? []).sort((a, b) => byName(a.host, b.host));
    if (o.hosts === undefined) hosts = hosts.slice(0, o.perTvd ?? 2);
    hosts = hosts.filter((h) => probeName(h.attrs.bridge) !== undefined);
    if (hosts.length === 0) {
      why.set(tvd, o.hosts === undefined ? `TVD ${tvd} has no vSwitch on any host` : `TVD ${tvd} has no vSwitch on ${o.hosts.join(', ')}`);
      continue;
    }
    // From the top of the subnet down: people and DHCP hand out addresses from the bottom.
    let next = subnet.broadcast - 1;
    const mine: ProbeEndpoint[] = [];
    for (const h of hosts) {
      while (next > subnet.network && held.has(next)) next--;
      if (next <= subnet.network) break;
      const address = intToIp(next--);
      mine.push({
        name: probeName(h.attrs.bridge)!,
        host: h.host,
        tvd,
        bridge: h.attrs.bridge,
        address,
        prefix: subnet.prefix,
        mac: probeMac(address),
        mtu: h.attrs.mtu,
        ...(gateway !== undefined ? { gateway } : {}),
      });
    }
    if (mine.length === 0) why.set(tvd, `TVD ${tvd}'s subnet ${spec.subnet} has no address that no VM holds`);
    endpoints.push(...mine);
  }

  const kinds = probeKinds(t);
  const ports = kinds.filter((k) => k.startsWith('tcp/')).map((k) => Number(k.slice(4)));
  const checks: ProbeCheck[] = [];
  const covered = new Set<string>();
  endpoints.forEach((a, i) =>
    endpoints.forEach((b, j) => {
      if (i === j || (a.tvd === b.tvd && a.host === b.host)) return;
      covered.add(`${a.tvd}\u0000${b.tvd}`);
      const e = m.get(a.tvd, b.tvd);
      for (const probe of kinds) checks.push({ from: i, to: j, probe, expected: entryAllows(e, probe) });
    }),
  );
  const unprobed: UnprobedPair[] = [];
  for (const from of m.tvds) {
    for (const to of m.tvds) {
      // Inside a TVD is open by definition; it is tried where a TVD has probes on two hosts.
      if (from === to || covered.has(`${from}\u0000${to}`)) continue;
      const reason = why.get(from) ?? why.get(to) ?? 'no probe pair';
      unprobed.push({ from, to, reason });
    }
  }
  return { endpoints, checks, ports, unprobed };
}
