// Per TVD: the mechanism between each pair of its hosts (dedicated NIC, VLAN, encapsulation, or
// VXLAN inside WireGuard), what that makes each host hold, and the MTU its VMs get.
import type { TvdCrossings } from '../plan.js';
import { decidePair, ENCAP_OVERHEAD, type HostEvidence, hostEvidence } from '../mechanisms.js';
import { isConfidential, WIREGUARD_OVERHEAD, type WireguardPlanner, wireguardLack } from '../wireguard.js';
import { byName, capsOf, type PlanContext, type Sink, tvdSpec } from './context.js';
import { lookup } from '../internal.js';
import type { Carriers } from './membership-phase.js';

/** How one host of a TVD reaches the TVD's other hosts. */
export interface HostLinks {
  dedicated: boolean;
  vlan: boolean;
  /** Underlay addresses of the hosts it encapsulates to. */
  encapPeers: string[];
  /** Hosts it reaches by VXLAN inside WireGuard. */
  wireguardPeers: string[];
}

export interface Fabric {
  /** TVD -> carrier host -> its links; every carrier of every live TVD has an entry. */
  links: ReadonlyMap<string, ReadonlyMap<string, HostLinks>>;
  /** TVD -> the MTU of its VMs' NICs. */
  mtu: ReadonlyMap<string, number>;
  /** The TVDs some pair of hosts carries on a VLAN. */
  vlanUsers: string[];
  crossings: TvdCrossings[];
}

export interface FabricTools {
  underlay: (host: string) => string;
  uplinkMtu: (host: string) => number;
  wireguard: WireguardPlanner;
}

interface TvdFabric {
  t: string;
  hs: readonly string[];
  secret: boolean;
  links: Map<string, HostLinks>;
  crossing: TvdCrossings;
  evidence: HostEvidence[];
  usesEncap: boolean;
  usesVlan: boolean;
}

export function planFabric(ctx: PlanContext, live: readonly string[], carriers: Carriers, tools: FabricTools, sink: Sink): Fabric {
  const fabric: Fabric & { links: Map<string, Map<string, HostLinks>>; mtu: Map<string, number> } = {
    links: new Map(),
    mtu: new Map(),
    vlanUsers: [],
    crossings: [],
  };
  const lowMtu = new Map<string, LowMtu>();
  // EtherIP has no key: between two hosts it can carry one TVD only. Host pair -> that TVD.
  const etherip = new Map<string, string>();
  for (const t of live) {
    const hs = lookup(carriers, t, 'carrier list');
    const f: TvdFabric = {
      t,
      hs,
      secret: isConfidential(tvdSpec(ctx, t)),
      links: new Map(hs.map((h) => [h, { dedicated: false, vlan: false, encapPeers: [], wireguardPeers: [] }])),
      crossing: { tvd: t, encapsulation: ctx.encap, hosts: [], pairs: [] },
      evidence: [],
      usesEncap: false,
      usesVlan: false,
    };
    fabric.links.set(t, f.links);
    if (hs.length > 1) {
      crossHosts(ctx, f, tools, etherip, sink);
      fabric.crossings.push(f.crossing);
    }
    if (f.usesVlan) fabric.vlanUsers.push(t);
    fabric.mtu.set(t, tvdMtu(ctx, f, tools, lowMtu));
  }
  sink.warnings.push(...mtuWarnings(lowMtu));
  return fabric;
}

function crossHosts(ctx: PlanContext, f: TvdFabric, tools: FabricTools, etherip: Map<string, string>, sink: Sink): void {
  const { t, hs, secret } = f;
  for (const h of hs) {
    const c = capsOf(ctx, h);
    if (!c.uplinks[ctx.hosts[h].uplink]) {
      sink.errors.push({
        code: 'no-uplink',
        host: h,
        tvd: t,
        message: `host ${h} has no uplink ${ctx.hosts[h].uplink} (it has: ${Object.keys(c.uplinks).join(', ') || 'none'}); ${t} spans hosts and needs it`,
      });
    }
  }
  f.evidence = hs.map((h) => hostEvidence(t, { name: h, spec: ctx.hosts[h], caps: capsOf(ctx, h) }, ctx.encap));
  f.crossing = {
    tvd: t,
    encapsulation: secret ? 'vxlan' : ctx.encap,
    hosts: f.evidence,
    pairs: [],
    ...(secret ? { confidential: true as const } : {}),
  };
  for (let i = 0; i < hs.length; i++) {
    for (let j = i + 1; j < hs.length; j++) {
      if (secret) crossConfidential(ctx, f, hs[i], hs[j], tools, sink);
      else crossPair(ctx, f, i, j, tools, etherip, sink);
    }
  }
}

/** Every link between hosts is untrusted: VXLAN inside WireGuard, never a VLAN or NIC. */
function crossConfidential(ctx: PlanContext, f: TvdFabric, a: string, b: string, tools: FabricTools, sink: Sink): void {
  const { t } = f;
  const lacks = [a, b].map((h) => wireguardLack(h, capsOf(ctx, h))).filter((x) => x !== undefined);
  f.crossing.pairs.push({ hosts: [a, b], mechanism: lacks.length ? 'none' : 'wireguard' });
  if (lacks.length) {
    sink.errors.push({
      code: 'no-mechanism',
      tvd: t,
      host: `${a},${b}`,
      message: `TVD ${t} requires confidentiality (tvds.${t}.confidentiality) between hosts ${a} and ${b}: ${lacks.join('; ')}`,
    });
    return;
  }
  lookup(f.links, a, 'host links').wireguardPeers.push(b);
  lookup(f.links, b, 'host links').wireguardPeers.push(a);
  tools.wireguard.link(a, b);
  f.usesEncap = true;
}

function crossPair(
  ctx: PlanContext,
  f: TvdFabric,
  i: number,
  j: number,
  tools: FabricTools,
  etherip: Map<string, string>,
  sink: Sink,
): void {
  const { t } = f;
  const [a, b] = [f.hs[i], f.hs[j]];
  const choice = decidePair(f.evidence[i], f.evidence[j], ctx.encap);
  f.crossing.pairs.push({ hosts: [a, b], mechanism: choice.ok ? choice.mechanism.kind : 'none' });
  if (!choice.ok) {
    sink.errors.push({
      code: 'no-mechanism',
      tvd: t,
      host: `${a},${b}`,
      message: `TVD ${t} cannot span hosts ${a} and ${b}: ${choice.missing}`,
    });
    return;
  }
  const pa = lookup(f.links, a, 'host links');
  const pb = lookup(f.links, b, 'host links');
  if (choice.mechanism.kind === 'dedicated') pa.dedicated = pb.dedicated = true;
  else if (choice.mechanism.kind === 'vlan') {
    pa.vlan = pb.vlan = true;
    f.usesVlan = true;
  } else {
    pa.encapPeers.push(tools.underlay(b));
    pb.encapPeers.push(tools.underlay(a));
    f.usesEncap = true;
    if (ctx.encap !== 'etherip') return;
    const other = etherip.get(`${a}/${b}`);
    if (other)
      sink.errors.push({
        code: 'no-mechanism',
        tvd: t,
        host: `${a},${b}`,
        message: `TVDs ${other} and ${t} would both cross hosts ${a} and ${b} over EtherIP, which has no key to tell them apart; use vxlan or gretap (defaults.encapsulation), or a VLAN or dedicated NIC for one of them`,
      });
    else etherip.set(`${a}/${b}`, t);
  }
}

/** TVDs that lose the same bytes to the same encapsulation over the same uplink MTU. */
interface LowMtu {
  uplinkMtu: number;
  mtu: number;
  how: string;
  overhead: number;
  tvds: string[];
  hosts: Set<string>;
}

function tvdMtu(ctx: PlanContext, f: TvdFabric, tools: FabricTools, lowMtu: Map<string, LowMtu>): number {
  const { hs, secret } = f;
  const uplinkMtu = Math.min(...hs.map(tools.uplinkMtu));
  const overhead = !f.usesEncap ? 0 : secret ? WIREGUARD_OVERHEAD + ENCAP_OVERHEAD.vxlan : ENCAP_OVERHEAD[ctx.encap];
  const mtu = hs.length > 1 ? uplinkMtu - overhead : 1500;
  if (mtu < 1500) {
    const how = secret ? 'vxlan inside WireGuard' : ctx.encap;
    const key = `${how}/${uplinkMtu}/${mtu}`;
    let low = lowMtu.get(key);
    if (!low) lowMtu.set(key, (low = { uplinkMtu, mtu, how, overhead, tvds: [], hosts: new Set() }));
    low.tvds.push(f.t);
    for (const h of hs) low.hosts.add(h);
  }
  return mtu;
}

/** One warning for all TVDs that lose the same bytes: it repeats on every plan, and a fleet has many TVDs. */
function mtuWarnings(lowMtu: ReadonlyMap<string, LowMtu>) {
  return [...lowMtu.values()].map((low) => {
    const [tvds, its] = low.tvds.length === 1 ? [`TVD ${low.tvds[0]}`, 'its'] : [`TVDs ${low.tvds.join(', ')}`, 'their'];
    return {
      code: 'mtu' as const,
      message: `${tvds}: ${low.how} over uplinks of MTU ${low.uplinkMtu} leaves ${low.mtu} for ${its} VMs; raise the uplink MTU of ${[...low.hosts].sort(byName).join(', ')} to ${1500 + low.overhead} to keep 1500`,
    };
  });
}
