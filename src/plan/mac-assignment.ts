// Every NIC's MAC, unique across the topology and stable across plans. In this order:
//   1. a MAC given by hand (two NICs given one MAC is an error; the topology check names both);
//   2. the MAC the state records for that VM's NIC on that TVD (a deployed MAC never changes
//      when other VMs come or go), unless another NIC now has it by hand;
//   3. the NIC's hash over the 2^23 derived MACs of 00:16:3e, probing linearly to the next
//      value that is free: not given by hand and not recorded in the state for any NIC (a VM
//      being removed keeps its MAC until the state forgets it).
// NICs are taken in the order of (VM, TVD), so neither YAML key order nor NIC order matters.
// A 23-bit hash alone collides by the birthday bound at a few thousand NICs.
import type { StateResource } from '../state/state.js';
import type { VmAttrs } from './resources.js';
import { assignUnique, type Wanted } from './ids.js';
import { DERIVED_MACS, derivedStart, macToNumber, numberToMac } from './mac-address.js';
import { getOrAdd, lookup } from './internal.js';

export interface NicRef {
  vm: string;
  /** The NIC's place in the VM's list, for messages. */
  index: number;
  tvd: string;
  /** Given by hand. */
  mac?: string;
}

export interface MacAssignment {
  /** nicKey(vm, tvd) -> MAC, lower case. */
  macs: Map<string, string>;
  errors: string[];
  warnings: string[];
}

/** A NIC is its VM and its TVD: a VM has one NIC per TVD, and its index may change. */
export const nicKey = (vm: string, tvd: string) => `${vm}/${tvd}`;

const UNICAST_MAC = /^[0-9a-f][02468ace](:[0-9a-f]{2}){5}$/;

/** The MAC of every NIC the state records as deployed, by nicKey (the first host by name wins). */
export function recordedMacs(resources: readonly StateResource[]): Map<string, string> {
  // A Map: an object of 100,000 keys is a slow hash table to V8 (vms-by-name.ts).
  const out = new Map<string, string>();
  // The VMs by host name, in the state's order within a host (what a stable sort by host gives),
  // without a comparison sort of every VM of the fleet.
  const byHost = new Map<string, StateResource[]>();
  for (const r of resources) if (r.type === 'vm') getOrAdd(byHost, r.host, () => []).push(r);
  const hostOrder = [...byHost].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const r of hostOrder.flatMap(([, vms]) => vms)) {
    for (const n of (r.attrs as Partial<VmAttrs> | null)?.nics ?? []) {
      const mac = typeof n?.mac === 'string' ? n.mac.toLowerCase() : '';
      if (!UNICAST_MAC.test(mac) || typeof n.tvd !== 'string') continue;
      const key = nicKey(r.name, n.tvd);
      if (!out.has(key)) out.set(key, mac);
    }
  }
  return out;
}

export function assignMacs(nics: readonly NicRef[], recorded: ReadonlyMap<string, string>): MacAssignment {
  const byKey = new Map(nics.map((n) => [nicKey(n.vm, n.tvd), n]));
  const nic = (key: string) => lookup(byKey, key, 'NIC');
  const label = (key: string) => `vms.${nic(key).vm}.nics[${nic(key).index}]`;
  // Key and NIC side by side in key order: three lookups per NIC in a map of every NIC were
  // 0.2 s at 10,000 hosts (100,000 NICs).
  const sorted = [...byKey].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  const errors: string[] = [];
  const warnings: string[] = [];
  const held = new Map<number, string>();
  for (const [key, n] of sorted) {
    if (n.mac === undefined) continue;
    const v = macToNumber(n.mac);
    const other = held.get(v);
    if (other !== undefined)
      errors.push(`${label(key)}.mac ${n.mac.toLowerCase()} is also given to ${label(other)}; each NIC needs its own MAC`);
    else held.set(v, key);
  }
  const wanted: Wanted[] = [];
  const reserved: number[] = [];
  for (const mac of recorded.values()) reserved.push(macToNumber(mac));
  for (const [key, { vm, tvd, mac }] of sorted) {
    if (mac !== undefined) continue;
    const prior = recorded.get(key);
    const start = () => derivedStart(vm, tvd);
    wanted.push(prior !== undefined ? { key, start, prior: macToNumber(prior) } : { key, start });
  }
  const a = assignUnique(wanted, DERIVED_MACS, held, reserved);
  for (const d of a.displaced) {
    const byHand = byKey.get(d.by)?.mac !== undefined;
    warnings.push(
      `${label(d.key)} has MAC ${numberToMac(d.prior)} deployed, which ${label(d.by)}${byHand ? '.mac now gives by hand' : ' has too'}; ${label(d.key)} gets another`,
    );
  }
  for (const key of a.unassigned)
    errors.push(`${label(key)}: all ${DERIVED_MACS.max - DERIVED_MACS.min + 1} derived MACs are taken; set its mac by hand`);
  const macs = new Map<string, string>();
  for (const [key, n] of sorted) {
    if (n.mac !== undefined) {
      macs.set(key, numberToMac(macToNumber(n.mac)));
      continue;
    }
    const v = a.values.get(key);
    if (v === undefined) continue;
    // A NIC that keeps its recorded MAC keeps its text (recordedMacs holds it lower case and checked).
    const prior = recorded.get(key);
    macs.set(key, prior !== undefined && macToNumber(prior) === v ? prior : numberToMac(v));
  }
  return { macs, errors, warnings };
}
