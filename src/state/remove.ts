// `tvd state rm`: forget records, as Terraform's `state rm`. Which records an argument names
// and the state that is left are pure (removeFromState); the hosts are never touched.
import type { State, StateResource } from './state.js';
import { addressKey, compareAddresses, matchesAddress, parsePartialAddress, type PartialAddress } from '../address/address.js';
import { UserError } from '../errors/user-error.js';

/** The records an argument (`h1`, `h1/vm`, `h1/vm/web`) names, in the state's order; a bad argument is an error. */
export function selectRecords(state: State, args: string[]): { targets: PartialAddress[]; selected: StateResource[]; unknown: string[] } {
  const targets: PartialAddress[] = [];
  const bad: string[] = [];
  for (const a of args) {
    const t = parsePartialAddress(a);
    if ('error' in t) bad.push(t.error);
    else targets.push(t);
  }
  if (bad.length) throw new UserError(bad.join('\n'));
  const unknown = args.filter((_, i) => !state.resources.some((r) => matchesAddress(targets[i], r)));
  const selected = state.resources.filter((r) => targets.some((t) => matchesAddress(t, r))).sort(compareAddresses);
  return { targets, selected, unknown };
}

/** The state without the records the arguments name: the next serial, the same lineage and ids. */
export function removeFromState(state: State, args: string[]): { state: State; removed: string[] } {
  const { targets, selected, unknown } = selectRecords(state, args);
  if (unknown.length) {
    const known = state.resources.length ? ' (`tvd state list` shows what it holds)' : ' (it holds none)';
    throw new UserError(
      `the state has no ${unknown.length === 1 ? 'record' : 'records'} at ${unknown.join(', ')}${known}. Nothing was changed.`,
    );
  }
  const gone = new Set(selected.map(addressKey));
  const resources = state.resources.filter((r) => !gone.has(addressKey(r)));
  const next: State = { ...state, serial: state.serial + 1, resources };
  // A host forgotten whole takes its recorded capability model with it.
  const hostsLeft = new Set(resources.map((r) => r.host));
  if (state.capabilities) {
    const caps = Object.fromEntries(
      Object.entries(state.capabilities).filter(([h]) => hostsLeft.has(h) || !targets.some((t) => t.host === h && !t.type)),
    );
    next.capabilities = caps;
  }
  return { state: next, removed: [...gone] };
}
