// From topology and capability models to the desired resources of every host (paper, Figure 4:
// requirements + capability model -> per-host extensions). Pure: data in, data out.
// The work is a row of named phases (src/plan/desired/), in the spirit of Terraform's graph
// transformers: each reads the records of the ones before it and returns its own; all report to
// one sink, so errors keep the order in which they are found.
import type { Allocations } from '../state/state.js';
import { bridgeNetfilterWarnings } from './bridge-netfilter.js';
import { type DesiredInput, type Isolation, planContext, type Sink, byName } from './desired/context.js';
import { planFabric } from './desired/fabric-phase.js';
import { firewallResources, firewallSet, transitResources } from './desired/firewall-phase.js';
import { connectedPeers, placeFirewalls } from './desired/firewall-placement-phase.js';
import { allocateTransitIds, allocateTvdIds, allocateVlanIds } from './desired/ids-phase.js';
import { admitMembers, carriersOf, checkCapabilityModels, liveTvds } from './desired/membership-phase.js';
import { noteCrossingIds, switchResources } from './desired/switch-phase.js';
import { underlayResolver, uplinkMtu } from './desired/underlay-phase.js';
import { proxyResources, vmResources } from './desired/vm-phase.js';
import { compareAddresses } from '../address/address.js';
import type { FlowMatrix } from './flow-matrix.js';
import type { PlanError, PlanWarning, TvdCrossings } from './plan.js';
import type { AnyResource } from './resources.js';
import { wireguardPlanner } from './wireguard.js';

export type { DesiredInput, Isolation } from './desired/context.js';
export { gatewayOf } from './desired/context.js';
export { VXLAN_PORT } from './desired/switch-phase.js';

export interface Desired {
  resources: AnyResource[];
  allocations: Allocations;
  errors: PlanError[];
  warnings: PlanWarning[];
  /** Hosts cut off from a TVD by `membership.onFailure: isolate`. */
  isolated: Isolation[];
  matrix: FlowMatrix;
  /** Per TVD that spans hosts: the mechanism of each host pair and the evidence it came from. */
  crossings: TvdCrossings[];
}

export function buildDesired(input: DesiredInput): Desired {
  const ctx = planContext(input);
  const sink: Sink = { errors: [], warnings: [] };
  const { errors, warnings } = sink;
  const early = (isolated: Isolation[]): Desired => ({
    resources: [],
    allocations: input.allocations,
    errors: dedupe(errors),
    warnings,
    isolated,
    matrix: ctx.matrix,
    crossings: [],
  });
  if (!checkCapabilityModels(ctx, sink)) return early([]);

  const membership = admitMembers(ctx, sink);
  const admittedCarriers = carriersOf(ctx, membership);
  const live = liveTvds(ctx, admittedCarriers);
  const peersOf = connectedPeers(ctx, live, sink);
  if (errors.some((e) => e.code === 'no-subnet')) return early(membership.isolated);

  const placement = placeFirewalls(ctx, admittedCarriers, peersOf, membership, sink);
  const liveNow = liveTvds(ctx, placement.carriers);
  const tvdIds = allocateTvdIds(ctx, liveNow, sink);
  const underlay = underlayResolver(ctx, sink);
  const wireguard = wireguardPlanner({
    topology: ctx.topology,
    capabilities: ctx.capabilities,
    underlay,
    uplinkMtu: (h) => uplinkMtu(ctx, h),
    prior: input.allocations.wireguard ?? {},
    recordedKeys: input.recordedWireguardKeys ?? {},
    errors,
  });
  const fabric = planFabric(ctx, liveNow, placement.carriers, { underlay, uplinkMtu: (h) => uplinkMtu(ctx, h), wireguard }, sink);
  const vlanIds = allocateVlanIds(ctx, fabric.vlanUsers, sink);
  noteCrossingIds(fabric, { tvdIds, vlanIds });
  const switches = switchResources(ctx, fabric, { tvdIds, vlanIds }, { underlay, wireguard });

  const firewalls = firewallSet(ctx, liveNow, peersOf, placement);
  const transitIds = allocateTransitIds(ctx, firewalls.pairs, sink);
  const firewallsAndTransits = [
    ...firewallResources(ctx, firewalls, { peersOf, placement, tvdIds, fabric }),
    ...transitResources(ctx, firewalls, { placement, tvdIds, transitIds, fabric }, { underlay, wireguard }, sink),
  ];
  const tunnels = wireguard.finish();

  const vmPlan = vmResources(ctx, { membership, tvdIds, fabric, firewalls }, sink);
  // Array literals, not push(...): a fleet has more VMs than a call takes arguments.
  const built = [...switches, ...firewallsAndTransits, ...tunnels.resources, ...vmPlan.resources];
  const resources = [...built, ...proxyResources(ctx, vmPlan.admissions, built)].sort((x, y) => compareAddresses(x.address, y.address));
  const bridgeHosts = [...new Set(resources.filter((r) => r.address.type === 'vswitch').map((r) => r.address.host))].sort(byName);
  warnings.push(
    ...bridgeNetfilterWarnings(bridgeHosts, ctx.capabilities).map((message) => ({ code: 'bridge-netfilter' as const, message })),
  );
  const prior = input.allocations;
  const allocations: Allocations = {
    tvdIds: { ...prior.tvdIds, ...tvdIds },
    vlans: { ...prior.vlans, ...vlanIds },
    transits: { ...prior.transits, ...transitIds },
    ...(prior.wireguard || Object.keys(tunnels.allocations).length ? { wireguard: { ...prior.wireguard, ...tunnels.allocations } } : {}),
  };
  return {
    resources: errors.length ? [] : resources,
    allocations,
    errors: dedupe(errors),
    warnings,
    isolated: membership.isolated,
    matrix: ctx.matrix,
    crossings: fabric.crossings,
  };
}

function dedupe(errors: PlanError[]): PlanError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}
