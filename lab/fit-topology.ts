// Puts an example topology onto a running lab: each example host becomes a lab host, hosts that
// share a segment in the example share one in the lab, and VMs follow their hosts. On a real-Xen
// lab each VM becomes the lab's own PV guest (its kernel, ramdisk and memory, no disks), since an
// example's kernel and volumes are not in the lab's Dom0s, and hosts lose dedicated NICs. Pure.
import type { Topology } from '../src/topology/schema.js';
import { isXenLab, type AnyLabInfo } from './lab-info.js';

type Vm = NonNullable<Topology['vms']>[string];

export function fitTopology(t: Topology, lab: AnyLabInfo): Topology {
  const exampleHosts = Object.keys(t.hosts ?? {}).sort();
  const bySegment = new Map<string, string[]>();
  for (const h of exampleHosts) {
    const s = t.hosts![h].segment ?? `(${h})`;
    bySegment.set(s, [...(bySegment.get(s) ?? []), h]);
  }
  const free = new Map<string, string[]>();
  for (const lh of lab.hosts) free.set(lh.segment, [...(free.get(lh.segment) ?? []), lh.name]);
  const labSegments = [...free.keys()];
  const rename = new Map<string, string>();
  let i = 0;
  for (const [seg, hosts] of [...bySegment].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const labSeg = labSegments[i++ % labSegments.length];
    for (const h of hosts) {
      const pool = free.get(labSeg)!;
      const pick = pool.shift();
      if (!pick)
        throw new Error(`the lab has too few hosts in segment ${labSeg} for the example's segment ${seg}: bring it up with more hosts`);
      rename.set(h, pick);
    }
  }
  const hosts: NonNullable<Topology['hosts']> = {};
  for (const h of exampleHosts) {
    const lh = lab.hosts.find((x) => x.name === rename.get(h))!;
    hosts[lh.name] = { ...t.hosts![h], address: lh.address, port: lh.port, user: lh.user, uplink: 'eth0', segment: lh.segment };
    // A real-Xen host has no spare NIC: its eth1 is the lab's management, which a TVD must never take.
    if (isXenLab(lab)) delete hosts[lh.name].dedicated;
  }
  const vms: NonNullable<Topology['vms']> = {};
  for (const [name, vm] of Object.entries(t.vms ?? {})) vms[name] = { ...fitGuest(vm, lab), host: rename.get(vm.host) ?? vm.host };
  const tvds = Object.fromEntries(
    Object.entries(t.tvds).map(([n, s]) => [n, s.firewall && rename.has(s.firewall) ? { ...s, firewall: rename.get(s.firewall)! } : s]),
  );
  return { ...t, tvds, hosts, vms };
}

function fitGuest(vm: Vm, lab: AnyLabInfo): Vm {
  if (!isXenLab(lab)) return vm;
  const { disk: _disk, allowDiskScripts: _scripts, ...rest } = vm;
  return {
    ...rest,
    type: lab.guest.type,
    kernel: lab.guest.kernel,
    ramdisk: lab.guest.ramdisk,
    memory: Math.min(vm.memory, lab.guest.memory),
    vcpus: 1,
  };
}
