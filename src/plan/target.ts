// A partial plan (`--target`, `--limit`, hosts skipped as unreachable), as Terraform's -target:
// of a full plan, keep the actions on the chosen addresses and those they need on the same host,
// and drop the rest. Pure.
import type { PlannedAction } from './plan.js';
import { actionAddress, matchesAddress, type PartialAddress, type ResourceType } from '../address/address.js';

type Attrs = Record<string, unknown> & { tvd?: string; nics?: { tvd: string }[]; ends?: { tvd: string }[] };

type Need = { type: ResourceType; name?: string };

/** The resources on its own host an action needs done first: a VM its proxy (the vif hook and its admission) and its TVDs' vswitches, ... */
function needs(a: PlannedAction): Need[] {
  const at = (a.after ?? a.before ?? {}) as Attrs;
  switch (a.resource.type) {
    case 'vm':
      return [{ type: 'proxy' }, ...(at.nics ?? []).map((n): Need => ({ type: 'vswitch', name: n.tvd }))];
    case 'vlan':
    case 'encap':
      return at.tvd ? [{ type: 'vswitch', name: at.tvd }] : [];
    case 'firewall':
      return [{ type: 'vswitch', name: a.resource.name }];
    case 'transit':
      return (at.ends ?? []).map((e): Need => ({ type: 'firewall', name: e.tvd }));
    default:
      return [];
  }
}

export interface Scope {
  /** Only these and what they need (empty: all); parsed by parsePartialAddress (src/address). */
  targets: PartialAddress[];
  /** Only on these hosts (empty: all). */
  hosts?: ReadonlySet<string>;
  /** Never on these hosts (not read: unreachable, or outside --limit). */
  frozen?: ReadonlySet<string>;
}

/**
 * The actions a partial plan keeps, in the plan's order. A create, update or replace brings
 * the actions it needs (transitively); a delete brings the deletes of what needs it (a
 * vswitch's VMs), as Terraform destroys a target's dependents with it.
 */
export function selectActions(actions: PlannedAction[], scope: Scope): PlannedAction[] {
  const allowed = actions.filter((a) => (!scope.hosts || scope.hosts.has(a.host)) && !scope.frozen?.has(a.host));
  if (scope.targets.length === 0) return allowed;
  const key = actionAddress;
  const chosen = new Set<string>();
  const todo = allowed.filter((a) => scope.targets.some((t) => matchesAddress(t, { host: a.host, ...a.resource })));
  const needing = (b: PlannedAction) => (a: PlannedAction) =>
    needs(a).some((n) => matchesAddress({ host: a.host, ...n }, { host: b.host, ...b.resource }));
  for (let a = todo.pop(); a !== undefined; a = todo.pop()) {
    if (chosen.has(key(a))) continue;
    chosen.add(key(a));
    if (a.action === 'delete') todo.push(...allowed.filter((b) => b.action === 'delete' && needing(a)(b)));
    else todo.push(...allowed.filter((b) => b.action !== 'delete' && needing(b)(a)));
  }
  return allowed.filter((a) => chosen.has(key(a)));
}
