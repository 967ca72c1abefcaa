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

export interface LabInfo {
  prefix: string;
  /** Absolute path of the lab's private ed25519 client key (root on every host). */
  identity: string;
  /** Absolute path of the known_hosts file with every host's key (plain `ADDR key` lines). */
  knownHosts: string;
  /** Absolute path of a `hosts:` fragment ready to paste into a topology. */
  hostsYaml: string;
  dir: string;
  /** The lab's 198.18.x.0/21 block; the root namespace routes it through the management leg. */
  block: string;
  management: { link: string; address: string; gateway: string };
  segments: { name: string; subnet: string; gateway: string }[];
  hosts: LabHost[];
}
