// A partial plan (`--target`, `--limit`, hosts skipped as unreachable), as Terraform's -target:
// of a full plan, keep the actions on the chosen addresses and those they need on the same host,
// and drop the rest. Pure.
import type { PlannedAction } from './plan.js';
import { actionAddress, RESOURCE_TYPES } from '../address/address.js';

/** A host (`h1`), a host and a type (`h1/vm`), or one address (`h1/vm/web`). */
export interface Target {
  host: string;
  type?: string;
  name?: string;
}

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** A target as the user wrote it, or why it is not one. */
export function parseTarget(text: string): Target | { error: string } {
  const [host, type, name, ...rest] = text.split('/');
  const form = 'a host (h1), a host and a type (h1/vm) or an address (h1/vm/web)';
  if (rest.length || !host || !NAME.test(host) || type === '' || name === '' || (name !== undefined && !NAME.test(name))) {
    return { error: `${JSON.stringify(text)} is not a target: give ${form}` };
  }
  if (type !== undefined && !(RESOURCE_TYPES as readonly string[]).includes(type)) {
    return { error: `${JSON.stringify(text)} is not a target: ${type} is not a resource type (${RESOURCE_TYPES.join(', ')})` };
  }
  return { host, ...(type ? { type } : {}), ...(name ? { name } : {}) };
}

export function matchesTarget(a: { host: string; type: string; name: string }, t: Target): boolean {
  return a.host === t.host && (t.type === undefined || a.type === t.type) && (t.name === undefined || a.name === t.name);
}

type Attrs = Record<string, unknown> & { tvd?: string; nics?: { tvd: string }[]; ends?: { tvd: string }[] };

/** The resources on its own host an action needs done first: a VM its proxy (the vif hook and its admission) and its TVDs' vswitches, ... */
function needs(a: PlannedAction): { type: string; name?: string }[] {
  const at = (a.after ?? a.before ?? {}) as Attrs;
  switch (a.resource.type) {
    case 'vm':
      return [{ type: 'proxy' }, ...(at.nics ?? []).map((n) => ({ type: 'vswitch', name: n.tvd }))];
    case 'vlan':
    case 'encap':
      return at.tvd ? [{ type: 'vswitch', name: at.tvd }] : [];
    case 'firewall':
      return [{ type: 'vswitch', name: a.resource.name }];
    case 'transit':
      return (at.ends ?? []).map((e) => ({ type: 'firewall', name: e.tvd }));
    default:
      return [];
  }
}

export interface Scope {
  /** Only these and what they need (empty: all). */
  targets: Target[];
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
  const todo = allowed.filter((a) => scope.targets.some((t) => matchesTarget({ host: a.host, ...a.resource }, t)));
  const needing = (b: PlannedAction) => (a: PlannedAction) =>
    a.host === b.host && needs(a).some((n) => n.type === b.resource.type && (n.name === undefined || n.name === b.resource.name));
  while (todo.length) {
    const a = todo.pop()!;
    if (chosen.has(key(a))) continue;
    chosen.add(key(a));
    if (a.action === 'delete') todo.push(...allowed.filter((b) => b.action === 'delete' && needing(a)(b)));
    else todo.push(...allowed.filter((b) => b.action !== 'delete' && needing(b)(a)));
  }
  return allowed.filter((a) => chosen.has(key(a)));
}
