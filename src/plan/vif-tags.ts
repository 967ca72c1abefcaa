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
export function recordedVifTags(resources: readonly StateResource[]): Map<string, Map<string, number>> {
  // Maps: an object keyed by 10,000 hosts is a slow hash table to V8 (vms-by-name.ts).
  const out = new Map<string, Map<string, number>>();
  for (const r of resources) {
    if (r.type !== 'vm') continue;
    const vifname = (r.attrs as Partial<VmAttrs> | null)?.nics?.[0]?.vifname;
    const tag = typeof vifname === 'string' ? vifTagOf(vifname) : undefined;
    if (tag === undefined) continue;
    const onHost = out.get(r.host);
    if (onHost) onHost.set(r.name, tag);
    else out.set(r.host, new Map([[r.name, tag]]));
  }
  return out;
}

/** VM -> its tag, for the VMs of one host (sorted by name here, so their order does not matter). */
export function assignVifTags(vms: readonly string[], recorded: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const wanted = [...vms].sort().map((vm) => {
    const prior = recorded.get(vm);
    return { key: vm, start: () => vifTagStart(vm), ...(prior !== undefined ? { prior } : {}) };
  });
  // 36^7 tags for the VMs of one host: the space is never full.
  return assignUnique(wanted, VIF_TAGS, new Map(), recorded.values()).values;
}
