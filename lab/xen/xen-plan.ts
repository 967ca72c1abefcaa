// The real-Xen lab's names, addresses and ports, derived from (prefix, slot, hosts, segments)
// alone: pure. Fabric addresses are the namespace lab's (address-plan.ts), so both kinds write
// the same lab.json shape; everything a QEMU listens on is on 127.0.0.1.
import { planLab } from '../address-plan.js';
import type { FabricSegment } from './fabric.js';

export const XEN_MAX_HOSTS = 6;
export const XEN_MAX_SEGMENTS = 3;
/** Each slot's 16 ports: the fabric daemon, then each host's fabric UDP and its SSH forward. */
const PORT_BASE = 24000;
const PORTS_PER_SLOT = 16;

export interface XenHostPlan {
  name: string;
  segment: string;
  /** eth0, the fabric NIC: the uplink tvd uses. */
  address: string;
  prefixLength: number;
  gateway: string;
  fabricMac: string;
  /** QEMU's end of the fabric: its UDP port on 127.0.0.1. */
  fabricUdp: number;
  /** 127.0.0.1:sshPort is forwarded to the Dom0's sshd through the management NIC (eth1). */
  sshPort: number;
  mgmtMac: string;
}

export interface XenLabPlan {
  prefix: string;
  slot: number;
  block: string;
  /** The fabric daemon's UDP port on 127.0.0.1. */
  hubPort: number;
  /** QEMU's user net for the management NIC: private to each QEMU, restricted to itself. */
  mgmtNet: string;
  segments: FabricSegment[];
  hosts: XenHostPlan[];
}

export function checkXenLabShape(hosts: number, segments: number): string | undefined {
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > XEN_MAX_HOSTS)
    return `--kind xen takes 1..${XEN_MAX_HOSTS} hosts (got ${hosts}): each is a QEMU holding its whole memory`;
  if (!Number.isInteger(segments) || segments < 1 || segments > XEN_MAX_SEGMENTS)
    return `--kind xen takes 1..${XEN_MAX_SEGMENTS} segments (got ${segments})`;
  return undefined;
}

export function planXenLab(prefix: string, slot: number, hostCount: number, segmentCount: number): XenLabPlan {
  const problem = checkXenLabShape(hostCount, segmentCount);
  if (problem) throw new Error(problem);
  const base = planLab(prefix, slot, hostCount, segmentCount);
  const ports = PORT_BASE + slot * PORTS_PER_SLOT;
  const mac = (i: number, nic: number) =>
    ['02', '18', slot, 0, i, nic].map((b) => (typeof b === 'string' ? b : b.toString(16).padStart(2, '0'))).join(':');
  return {
    prefix,
    slot,
    block: base.block,
    hubPort: ports,
    mgmtNet: `${base.management.rootAddress.replace(/\.1$/, '.0')}/24`,
    segments: base.segments.map((s, k) => ({ name: s.name, subnet: s.subnet, gateway: s.gateway, routerMac: mac(0, k + 1) })),
    hosts: base.hosts.map((h, idx) => ({
      name: h.name,
      segment: h.segment,
      address: h.address,
      prefixLength: h.prefixLength,
      gateway: h.gateway,
      fabricMac: mac(idx + 1, 1),
      fabricUdp: ports + 1 + idx,
      sshPort: ports + 1 + XEN_MAX_HOSTS + idx,
      mgmtMac: mac(idx + 1, 2),
    })),
  };
}
