// The shape of DIR/lab.json: what tests, the demo and `tvd` read to reach a lab's hosts.

export interface LabHost {
  name: string; // h1, h2, ...
  address: string; // 198.18.x.y, where sshd listens (port 22)
  port: number;
  user: string; // root
  segment: string; // s1, s2, ...: hosts of one segment share an Ethernet
  /** The host's network namespace in the root namespace (`ip netns exec` works, but skips the host's mounts). */
  netns: string;
  /** The host's anchor process: `nsenter -t PID -m -n -u` enters the host exactly as SSH does. */
  pid: number;
  /** The host's disk: its /etc and /var upper layers, /run and /tmp live here. */
  root: string;
}

/** What both kinds of lab write into lab.json, and all that tvd needs to reach their hosts. */
interface LabFiles {
  prefix: string;
  /** Absolute path of the lab's private ed25519 client key (root on every host). */
  identity: string;
  /** Absolute path of the known_hosts file with every host's key (`ADDR key` or `[ADDR]:PORT key`). */
  knownHosts: string;
  /** Absolute path of a `hosts:` fragment ready to paste into a topology. */
  hostsYaml: string;
  dir: string;
  /** The lab's 198.18.x.0/21 block: its segments' addresses. */
  block: string;
  segments: { name: string; subnet: string; gateway: string }[];
}

/** A lab of namespace hosts (up.ts); lab.json files written before kinds existed have no kind. */
export interface LabInfo extends LabFiles {
  kind?: 'netns';
  /** The root namespace routes the lab's block through this management leg. */
  management: { link: string; address: string; gateway: string };
  hosts: LabHost[];
}

/** A real-Xen lab host: a QEMU running Xen 4.17 and a Debian Dom0 (lab/xen/up.ts). */
export interface XenLabHost {
  name: string;
  /** 127.0.0.1: QEMU forwards `port` to the Dom0's sshd. */
  address: string;
  port: number;
  user: string;
  segment: string;
  /** eth0's address on the lab's fabric: the uplink tvd uses between hosts. */
  fabricAddress: string;
  /** The host's files: its disk overlay, seed, serial log, QEMU's pid file and monitor. */
  dir: string;
}

export interface XenLabInfo extends LabFiles {
  kind: 'xen';
  hosts: XenLabHost[];
  /** The cached Dom0 image the hosts' overlays are backed by. */
  image: string;
  /** The lab's PV guest, present in every Dom0: what fitTopology gives each VM. */
  guest: { type: 'pv'; kernel: string; ramdisk: string; memory: number };
}

export type AnyLabInfo = LabInfo | XenLabInfo;

export function isXenLab(lab: AnyLabInfo): lab is XenLabInfo {
  return lab.kind === 'xen';
}
