// The topology's VMs in name order, read from its map once per plan. V8 keeps an object of
// 100,000 keys as a hash table, and each walk of it (Object.keys, values, entries) costs 50 to
// 200 ms at 10,000 hosts, superlinear in its size (bench/plan-scale.ts): the planner's phases
// walked `vms` five times, and now walk this list.
import type { Topology, VmSpec } from '../topology/schema.js';

export interface NamedVm {
  name: string;
  spec: VmSpec;
}

export function vmsByName(topology: Topology): NamedVm[] {
  const vms = topology.vms ?? {};
  return Object.keys(vms)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({ name, spec: vms[name] }));
}
