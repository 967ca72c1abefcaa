// Each connected TVD's firewall, and the transit link between each pair of connected firewalls:
// a veth when both run on one host, else a VXLAN (inside WireGuard when it carries a confidential TVD).
import { intToIp } from '../../topology/cidr.js';
import { firewallRules } from '../firewall-rules.js';
import { firewallRuleset } from '../firewall-ruleset.js';
import { transitVni } from '../ids.js';
import { bridgeName, firewallLegName, firewallNamespace, pairName, transitDevice, transitIfname } from '../interface-names.js';
import { macForAddress } from '../mac-address.js';
import { ENCAP_OVERHEAD } from '../mechanisms.js';
import type { AnyResource, FirewallAttrs, TransitAttrs } from '../resources.js';
import { isConfidential, WIREGUARD_DEVICE, WIREGUARD_OVERHEAD, type WireguardPlanner, wireguardLack } from '../wireguard.js';
import { byName, capsOf, gatewayOf, type PlanContext, type Sink, subnetOf, tvdSpec } from './context.js';
import { internal, lookup } from '../internal.js';
import type { Fabric } from './fabric-phase.js';
import type { Peers, Placement } from './firewall-placement-phase.js';
import type { Ids } from './ids-phase.js';
import { uplinkMtu } from './underlay-phase.js';
import { VXLAN_PORT } from './switch-phase.js';

export interface Firewalls {
  /** The TVDs that get a firewall, by name. */
  tvds: string[];
  has: ReadonlySet<string>;
  /** The pairs of them that are connected, each by name and in order. */
  pairs: [string, string][];
}

/** The TVDs whose firewall can be placed (live, on a host with nftables), and their connected pairs. */
export function firewallSet(ctx: PlanContext, live: readonly string[], peersOf: Peers, placement: Placement): Firewalls {
  const isLive = new Set(live);
  const tvds = [...placement.firewallHost]
    .filter(([t, h]) => isLive.has(t) && ctx.capabilities[h]?.mechanisms.nftables)
    .map(([t]) => t)
    .sort(byName);
  const has = new Set(tvds);
  const pairs: [string, string][] = [];
  for (const t of tvds) for (const u of lookup(peersOf, t, 'peer list')) if (t < u && has.has(u)) pairs.push([t, u]);
  return { tvds, has, pairs };
}

export function firewallResources(
  ctx: PlanContext,
  fws: Firewalls,
  at: { peersOf: Peers; placement: Placement; tvdIds: Ids; fabric: Fabric },
): AnyResource[] {
  return fws.tvds.map((t) => {
    const spec = tvdSpec(ctx, t);
    const peers = lookup(at.peersOf, t, 'peer list')
      .filter((u) => fws.has.has(u))
      .sort(byName);
    const peerLinks = peers.map((u) => ({ tvd: u, subnet: subnetOf(ctx, u), ifname: transitIfname(at.tvdIds[u]) }));
    const rules = firewallRules(ctx.matrix, t, peers);
    const gateway = gatewayOf(spec) ?? internal(`TVD ${t} has no gateway`);
    const fw: FirewallAttrs = {
      tvd: t,
      namespace: firewallNamespace(t),
      bridge: bridgeName(at.tvdIds[t]),
      leg: firewallLegName(at.tvdIds[t]),
      gateway,
      gatewayMac: macForAddress(gateway),
      subnet: subnetOf(ctx, t),
      mtu: lookup(at.fabric.mtu, t, 'MTU'),
      peers: peerLinks,
      rules,
      ruleset: firewallRuleset({ tvd: t, subnet: subnetOf(ctx, t), peers: peerLinks, rules }),
    };
    return { address: { host: lookup(at.placement.firewallHost, t, 'firewall host'), type: 'firewall', name: t }, attrs: fw };
  });
}

export interface TransitTools {
  underlay: (host: string) => string;
  wireguard: WireguardPlanner;
}

export function transitResources(
  ctx: PlanContext,
  fws: Firewalls,
  at: { placement: Placement; tvdIds: Ids; transitIds: Ids; fabric: Fabric },
  tools: TransitTools,
  sink: Sink,
): AnyResource[] {
  const resources: AnyResource[] = [];
  for (const [a, b] of fws.pairs) {
    const n = at.transitIds[pairName(a, b)];
    if (n === undefined) continue; // the pool is full: an error says so
    const base = ctx.transitPool.network + 2 * n;
    const addrA = intToIp(base);
    const addrB = intToIp(base + 1);
    const end = (t: string, mine: string, theirs: string, peer: string) => ({
      tvd: t,
      namespace: firewallNamespace(t),
      ifname: transitIfname(at.tvdIds[peer]),
      address: `${mine}/31`,
      mac: macForAddress(mine),
      peerAddress: `${theirs}/31`,
      peerSubnet: subnetOf(ctx, peer),
    });
    const ends: [TransitEnd, TransitEnd] = [end(a, addrA, addrB, b), end(b, addrB, addrA, a)];
    const hosts: [string, string] = [
      lookup(at.placement.firewallHost, a, 'firewall host'),
      lookup(at.placement.firewallHost, b, 'firewall host'),
    ];
    const mtu = Math.min(lookup(at.fabric.mtu, a, 'MTU'), lookup(at.fabric.mtu, b, 'MTU'));
    if (hosts[0] === hosts[1]) {
      const attrs: TransitAttrs = { pair: [a, b], kind: 'veth', ends, mtu };
      resources.push({ address: { host: hosts[0], type: 'transit', name: pairName(a, b) }, attrs });
    } else resources.push(...tunnelTransit(ctx, { pair: [a, b], n, ends, hosts, mtu }, tools, sink));
  }
  return resources;
}

type TransitEnd = TransitAttrs['ends'][number];

interface Link {
  pair: [string, string];
  n: number;
  ends: [TransitEnd, TransitEnd];
  hosts: [string, string];
  mtu: number;
}

function tunnelTransit(ctx: PlanContext, link: Link, tools: TransitTools, sink: Sink): AnyResource[] {
  const resources: AnyResource[] = [];
  const [a, b] = link.pair;
  const [ha, hb] = link.hosts;
  // A link that carries a confidential TVD's frames runs inside WireGuard, as its VXLAN does.
  const secret = link.pair.find((t) => isConfidential(tvdSpec(ctx, t)));
  const tunnelMtu = Math.min(...link.hosts.map((h) => uplinkMtu(ctx, h))) - ENCAP_OVERHEAD.vxlan - (secret ? WIREGUARD_OVERHEAD : 0);
  if (secret) {
    const lacks = link.hosts.map((h) => wireguardLack(h, capsOf(ctx, h))).filter((x) => x !== undefined);
    if (lacks.length) {
      sink.errors.push({
        code: 'no-mechanism',
        tvd: secret,
        host: `${ha},${hb}`,
        message: `TVD ${secret} requires confidentiality (tvds.${secret}.confidentiality), so the link between the firewalls of ${a} (on ${ha}) and ${b} (on ${hb}) needs WireGuard: ${lacks.join('; ')}. Or pin both firewalls to one host with tvds.<name>.firewall`,
      });
      return resources;
    }
    tools.wireguard.link(ha, hb);
  }
  for (const [h, e, other] of [
    [ha, link.ends[0], hb],
    [hb, link.ends[1], ha],
  ] as const) {
    if (!capsOf(ctx, h).mechanisms.vxlan) {
      sink.errors.push({
        code: 'no-mechanism',
        host: h,
        message: `the firewalls of ${a} (on ${ha}) and ${b} (on ${hb}) need a vxlan transit link; host ${h} lacks vxlan. Pin both firewalls to one host with tvds.<name>.firewall`,
      });
      continue;
    }
    const attrs: TransitAttrs = {
      pair: [a, b],
      kind: 'vxlan',
      ends: [e],
      vni: transitVni(link.n),
      device: transitDevice(link.n),
      uplink: secret ? WIREGUARD_DEVICE : ctx.hosts[h].uplink,
      local: secret ? tools.wireguard.inner(h) : tools.underlay(h),
      remote: secret ? tools.wireguard.inner(other) : tools.underlay(other),
      dstport: VXLAN_PORT,
      mtu: Math.min(link.mtu, tunnelMtu),
    };
    resources.push({ address: { host: h, type: 'transit', name: pairName(a, b) }, attrs });
  }
  return resources;
}
