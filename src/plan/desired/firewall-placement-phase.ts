// Which TVDs need a firewall (those with members and an open or controlled connection to another
// TVD with members), and on which host each runs.
import { subnetsOverlap } from '../../topology/cidr.js';
import { connected } from '../flow-matrix.js';
import { flowNeighbours } from '../flow-neighbours.js';
import { byName, capsOf, type PlanContext, type Sink, tvdSpec } from './context.js';
import { lookup } from '../internal.js';
import type { Carriers, Membership } from './membership-phase.js';

/** TVD -> the live TVDs it is connected to, by name; only TVDs with at least one. */
export type Peers = ReadonlyMap<string, readonly string[]>;

/** The connected peers of each live TVD; errors for connected TVDs without a subnet or inside the transit pool. */
export function connectedPeers(ctx: PlanContext, live: readonly string[], sink: Sink): Map<string, string[]> {
  const isLive = new Set(live);
  const peersOf = new Map<string, string[]>();
  // With flows closed by default only the pairs a flow names can be connected: trying every pair
  // was quadratic in the TVDs (bench/plan-scale.ts).
  const neighbours = ctx.topology.defaults?.flow === 'open' ? undefined : flowNeighbours(ctx.topology);
  for (const t of live) {
    const peers = neighbours
      ? [...lookup(neighbours, t, 'flow neighbours')].filter((u) => isLive.has(u) && connected(ctx.matrix, t, u)).sort(byName)
      : live.filter((u) => connected(ctx.matrix, t, u));
    if (peers.length === 0) continue;
    for (const u of [t, ...peers]) {
      if (!tvdSpec(ctx, u).subnet) {
        sink.errors.push({
          code: 'no-subnet',
          tvd: u,
          message: `tvds.${u} has no subnet, but it has an open or controlled connection; give it a subnet`,
        });
      }
    }
    peersOf.set(t, peers);
  }
  for (const t of live) {
    const s = tvdSpec(ctx, t).subnet;
    if (s && subnetsOverlap(s, ctx.transitPool)) {
      sink.errors.push({
        code: 'transit-pool',
        tvd: t,
        message: `tvds.${t}.subnet ${s} overlaps the transit pool ${ctx.transitPoolText}; set defaults.transit to a free range`,
      });
    }
  }
  return peersOf;
}

export interface Placement {
  /** TVD -> the host its firewall runs on (checked: it has nftables and carries the TVD). */
  firewallHost: ReadonlyMap<string, string>;
  /** The carriers, with each firewall's host added to its TVD's. */
  carriers: Carriers;
}

/**
 * Pinned; else where it runs now, while that host still carries the TVD; else the carrier host
 * already holding the most connected peer firewalls (so transit links stay local veths), then the
 * most members, then by name.
 */
export function placeFirewalls(ctx: PlanContext, carriers: Carriers, peersOf: Peers, membership: Membership, sink: Sink): Placement {
  const fwHost = new Map<string, string>();
  for (const [t, peers] of peersOf) {
    const pinned = tvdSpec(ctx, t).firewall;
    const chosen = pinned ? pinned : chooseFirewallHost(ctx, t, lookup(carriers, t, 'carrier list'), peers, fwHost, membership, sink);
    if (chosen !== undefined) fwHost.set(t, chosen);
  }
  const withFirewalls = new Map(carriers);
  for (const [t, h] of fwHost) {
    const hs = lookup(withFirewalls, t, 'carrier list');
    if (!ctx.capabilities[h])
      sink.errors.push({
        code: 'no-capabilities',
        host: h,
        tvd: t,
        message: `host ${h} runs the firewall of ${t} but has no capability model`,
      });
    else if (!capsOf(ctx, h).mechanisms.nftables)
      sink.errors.push({ code: 'firewall-host', host: h, tvd: t, message: `host ${h} runs the firewall of ${t} but lacks nftables` });
    else if (!hs.includes(h)) withFirewalls.set(t, [...hs, h].sort(byName));
  }
  return { firewallHost: fwHost, carriers: withFirewalls };
}

function chooseFirewallHost(
  ctx: PlanContext,
  t: string,
  hs: readonly string[],
  peers: readonly string[],
  placed: ReadonlyMap<string, string>,
  membership: Membership,
  sink: Sink,
): string | undefined {
  const candidates = hs.filter((h) => ctx.capabilities[h]?.mechanisms.nftables);
  const prior = ctx.input.priorFirewalls?.[t];
  if (prior && candidates.includes(prior)) return prior;
  if (candidates.length === 0) {
    sink.errors.push({
      code: 'firewall-host',
      tvd: t,
      message: `no host that carries ${t} (${hs.join(', ')}) has nftables for its firewall`,
    });
    return undefined;
  }
  const admitted = lookup(membership.admitted, t, 'member list');
  const score = (h: string) => peers.filter((u) => placed.get(u) === h).length * 1_000_000 + admitted.filter((m) => m.host === h).length;
  return candidates.reduce((best, h) => (score(h) > score(best) ? h : best));
}
