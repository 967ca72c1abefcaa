// Desired resources against the recorded state, per address: create, update, delete, replace.
import type { AnyResource } from './resources.js';
import type { ActionKind, PlannedAction } from './plan.js';
import type { StateResource } from '../state/state.js';
import { addressKey, compareAddresses, type Address, type ResourceType } from './address.js';

/** What refresh found on a host that the state does not know: gone, or changed outside of tvd. */
export interface Drift {
  address: string;
  kind: 'missing' | 'changed';
  detail: string;
}

/** Attributes that cannot change in place: a change means down, then up. */
const REPLACE_ON: Record<ResourceType, string[]> = {
  proxy: [],
  vswitch: ['bridge'],
  vlan: ['tvd', 'bridge', 'uplink', 'id', 'device'],
  encap: ['tvd', 'kind', 'vni', 'device', 'uplink', 'local', 'dstport'],
  firewall: ['namespace', 'bridge', 'leg', 'subnet', 'gateway'],
  transit: ['pair', 'kind', 'ends', 'vni', 'device', 'uplink', 'local', 'remote', 'dstport'],
  vm: ['path'],
};

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x,
  );
}

export function changedKeys(before: unknown, after: unknown): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => canonical(b[k]) !== canonical(a[k])).sort();
}

function updateKind(type: ResourceType, changed: string[], before: unknown, after: unknown): ActionKind {
  if (changed.some((k) => REPLACE_ON[type].includes(k))) return 'replace';
  if (type === 'vm') {
    // A running VM takes NIC changes live (network-attach/detach). Anything else in its config,
    // such as the guest's boot-time address on `extra`, takes effect only at boot: restart it.
    const b = before as { start?: boolean; config?: string };
    const a = after as { start?: boolean; config?: string };
    const withoutVifs = (c = '') => c.replace(/^vif = .*$/m, '');
    const nicsOnly = changed.every((k) => k === 'nics' || k === 'config') && withoutVifs(b.config) === withoutVifs(a.config);
    if (b.start === true && (!nicsOnly || a.start !== true)) return 'replace';
  }
  return 'update';
}

export function diffResources(desired: AnyResource[], recorded: StateResource[], drift: Drift[] = []): PlannedAction[] {
  const actions: PlannedAction[] = [];
  const want = new Map(desired.map((r) => [addressKey(r.address), r]));
  const have = new Map(recorded.map((r) => [addressKey(r), r]));
  const drifted = new Map(drift.map((d) => [d.address, d]));
  const add = (action: ActionKind, address: Address, before: unknown, after: unknown, extra: Partial<PlannedAction> = {}) =>
    actions.push({ action, host: address.host, resource: { type: address.type, name: address.name }, before, after, ...extra });

  for (const [key, r] of want) {
    const old = have.get(key);
    const d = drifted.get(key);
    if (!old || d?.kind === 'missing') {
      add('create', r.address, null, r.attrs, d ? { reason: `gone from the host (changed outside of tvd): ${d.detail}` } : {});
      continue;
    }
    const changed = changedKeys(old.attrs, r.attrs);
    if (old.status === 'tainted') {
      add('replace', r.address, old.attrs, r.attrs, { changed, reason: 'an earlier apply failed part-way through it' });
    } else if (changed.length) {
      add(updateKind(r.address.type, changed, old.attrs, r.attrs), r.address, old.attrs, r.attrs, { changed, ...(d ? { reason: `changed outside of tvd: ${d.detail}` } : {}) });
    } else if (d) {
      add('update', r.address, old.attrs, r.attrs, { changed: [], reason: `changed outside of tvd: ${d.detail}` });
    }
  }
  for (const [key, old] of have) {
    if (!want.has(key)) add('delete', old, old.attrs, null);
  }
  return actions.sort((x, y) => compareAddresses({ host: x.host, ...x.resource }, { host: y.host, ...y.resource }));
}
