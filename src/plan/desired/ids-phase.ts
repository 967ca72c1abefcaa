// Ids stable across applies: a TVD id (its VNI and bridge) per live TVD, a VLAN id per TVD that
// crosses hosts on a VLAN, a /31 of the transit pool per pair of connected firewalls.
import { type Allocated, allocateIds, TRANSIT_IDS, TVD_IDS, VLAN_IDS } from '../ids.js';
import { pairName } from '../interface-names.js';
import type { PlanError } from '../plan.js';
import { type PlanContext, type Sink, tvdSpec } from './context.js';

/** Name -> id; a name the space had no room for has none (and an error says so). */
export type Ids = Record<string, number>;

export function allocateTvdIds(ctx: PlanContext, live: readonly string[], sink: Sink): Ids {
  const pinned = pinnedIds(ctx, 'vni');
  return idsOrErrors(
    allocateIds([...live], TVD_IDS, pinned, ctx.input.allocations.tvdIds),
    sink.errors,
    (n, more) =>
      `tvds.${n}${more}: all ${TVD_IDS.max - TVD_IDS.min + 1} TVD ids (${TVD_IDS.min}..${TVD_IDS.max}) are taken; pin its vni outside them`,
  );
}

export function allocateVlanIds(ctx: PlanContext, vlanUsers: readonly string[], sink: Sink): Ids {
  return idsOrErrors(
    allocateIds([...vlanUsers], VLAN_IDS, pinnedIds(ctx, 'vlan'), ctx.input.allocations.vlans),
    sink.errors,
    (n, more) =>
      `tvds.${n}${more} would cross hosts on an 802.1Q VLAN, but all ${VLAN_IDS.max - VLAN_IDS.min + 1} VLAN ids are taken by other TVDs (one id per TVD, in every segment); give it a dedicated NIC (hosts.<name>.dedicated)`,
  );
}

/** By pairName; each link takes a /31 of the pool, and the pool's first /31 none. */
export function allocateTransitIds(ctx: PlanContext, pairs: readonly (readonly [string, string])[], sink: Sink): Ids {
  const space = { min: TRANSIT_IDS.min, max: Math.min(TRANSIT_IDS.max, Math.max(0, 2 ** (31 - ctx.transitPool.prefix) - 1)) };
  return idsOrErrors(
    allocateIds(
      pairs.map(([a, b]) => pairName(a, b)),
      space,
      {},
      ctx.input.allocations.transits,
    ),
    sink.errors,
    (n, more) => {
      const advice =
        space.max < TRANSIT_IDS.max
          ? `set defaults.transit to a larger range (a /18 holds ${TRANSIT_IDS.max})`
          : 'connect fewer pairs of TVDs';
      return `${pairs.length} pairs of connected TVDs need a transit link each, but defaults.transit ${ctx.transitPoolText} has room for ${space.max}: ${n.replace('--', ' and ')}${more} get none; ${advice}`;
    },
  );
}

function pinnedIds(ctx: PlanContext, field: 'vni' | 'vlan'): Ids {
  const pinned: Ids = {};
  for (const t of ctx.tvdNames) {
    const id = tvdSpec(ctx, t)[field];
    if (id !== undefined) pinned[t] = id;
  }
  return pinned;
}

/** The ids, and one error for the names the space had no room for (naming the first). */
function idsOrErrors(a: Allocated, errors: PlanError[], message: (first: string, more: string) => string): Ids {
  const [first, ...others] = a.unassigned;
  if (first !== undefined)
    errors.push({ code: 'ids-exhausted', message: message(first, others.length ? ` (and ${others.length} more)` : '') });
  return a.ids;
}
