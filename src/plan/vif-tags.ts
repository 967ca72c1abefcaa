// The tag in each VM's vif names (tvv<tag>.<n>), unique among the VMs of one host: Linux refuses a
// second interface of one name, so a clash would fail the VM's start. The tag's hash alone
// (36^7 values, unevenly used: some 9 * 10^9 in effect) has a first clash by the birthday bound
// at about 100,000 VMs, and a host that holds both would fail one. As MACs: a VM keeps the tag
// its vifs have on that host in the state; the others probe from their hash past every tag the
// host's state records, VMs taken by name.
import type { StateResource } from '../state/state.js';
import type { VmAttrs } from './resources.js';
import { assignUnique } from './ids.js';
import { VIF_TAGS, vifTagOf, vifTagStart } from './interface-names.js';

/** host -> VM -> the tag of its vifs there, as the state records them. */
export function recordedVifTags(resources: readonly StateResource[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const r of resources) {
    if (r.type !== 'vm') continue;
    const vifname = (r.attrs as Partial<VmAttrs> | null)?.nics?.[0]?.vifname;
    const tag = typeof vifname === 'string' ? vifTagOf(vifname) : undefined;
    if (tag !== undefined) (out[r.host] ??= {})[r.name] = tag;
  }
  return out;
}

/** VM -> its tag, for the VMs of one host (sorted by name here, so their order does not matter). */
export function assignVifTags(vms: readonly string[], recorded: Readonly<Record<string, number>> = {}): Map<string, number> {
  const wanted = [...vms]
    .sort()
    .map((vm) => ({ key: vm, start: () => vifTagStart(vm), ...(recorded[vm] !== undefined ? { prior: recorded[vm] } : {}) }));
  // 36^7 tags for the VMs of one host: the space is never full.
  return assignUnique(wanted, VIF_TAGS, new Map(), Object.values(recorded)).values;
}
