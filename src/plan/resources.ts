// The per-host extensions `tvd` manages, as plain data. The planner decides them (src/plan),
// the renderer turns each into idempotent Dom0 `up`/`down` scripts (src/apply/render).
import type { Address, ResourceType } from '../address/address.js';
import type { Encapsulation } from '../topology/schema.js';

/** A TVD's virtual switch on a host: a Linux bridge. */
export interface VswitchAttrs {
  tvd: string;
  bridge: string;
  /** MTU of the bridge and of the vifs on it: below the uplink's when the TVD is encapsulated. */
  mtu: number;
  /** A NIC that belongs to this TVD alone, enslaved to the bridge. */
  dedicated?: string;
}

/** 802.1Q tagging of a TVD onto the uplink. */
export interface VlanAttrs {
  tvd: string;
  bridge: string;
  uplink: string;
  id: number;
  device: string;
}

/** A TVD's tunnel endpoint on a host, with the peers it floods to. */
export interface EncapAttrs {
  tvd: string;
  bridge: string;
  kind: Encapsulation;
  vni: number;
  device: string;
  uplink: string;
  /** This host's underlay address. */
  local: string;
  dstport: number;
  mtu: number;
  /** Underlay addresses of the other hosts that carry the TVD over this mechanism, sorted. */
  peers: string[];
}

/** A host this host's WireGuard interface talks to. */
export interface WireguardPeer {
  host: string;
  /** Its public key (the private key never leaves its host). */
  publicKey: string;
  /** Its underlay address and port. */
  endpoint: string;
  port: number;
  /** Its inner address: the only source accepted from it (allowed-ips), /32. */
  address: string;
}

/** The host's WireGuard interface, which carries the VXLAN of its confidential TVDs. */
export interface WireguardAttrs {
  device: string;
  /** The kernel module, else wireguard-go (user space, slower). */
  implementation: 'kernel' | 'wireguard-go';
  /** hosts.<name>.keyGeneration: a new one is a new key (rotation). */
  generation: number;
  publicKey: string;
  listenPort: number;
  /** The inner address, CIDR (the prefix of defaults.wireguard, routed over the interface). */
  address: string;
  mtu: number;
  peers: WireguardPeer[];
}

/** One rule of a controlled connection, as the firewall enforces it. */
export interface FirewallRule {
  /** outbound: this TVD -> peer (the sender's part); inbound: peer -> this TVD (the recipient's part). */
  direction: 'outbound' | 'inbound';
  peer: string;
  /** Omitted for an open connection: everything passes. */
  proto?: 'tcp' | 'udp' | 'icmp';
  port?: number;
}

/** A TVD's firewall domain: a network namespace in Dom0 with a leg on the TVD's vSwitch. */
export interface FirewallAttrs {
  tvd: string;
  namespace: string;
  bridge: string;
  /** The host-side end of the leg, on the bridge; inside the namespace it is called `lan0`. */
  leg: string;
  gateway: string;
  /** The MAC of `lan0`, derived from the gateway, so VMs' ARP caches survive a Dom0 reboot. */
  gatewayMac: string;
  subnet: string;
  mtu: number;
  /** Peer TVD -> the transit interface inside this namespace that leads to it. */
  peers: { tvd: string; subnet: string; ifname: string }[];
  rules: FirewallRule[];
  /** The complete nftables ruleset loaded into the namespace. */
  ruleset: string;
}

/** This host's end(s) of the link that joins two connected TVDs' firewalls. */
export interface TransitEnd {
  tvd: string;
  namespace: string;
  ifname: string;
  /** This end's address, CIDR (/31). */
  address: string;
  /** Derived from the address, so the peer's ARP cache survives a reboot of this end. */
  mac: string;
  peerAddress: string;
  /** The subnet of the TVD at the other end, routed over this link. */
  peerSubnet: string;
}

export interface TransitAttrs {
  pair: [string, string];
  /** veth when both firewalls share this host, else a point-to-point VXLAN to the other host. */
  kind: 'veth' | 'vxlan';
  ends: TransitEnd[];
  vni?: number;
  device?: string;
  uplink?: string;
  local?: string;
  remote?: string;
  dstport?: number;
  mtu: number;
}

export interface VmNic {
  tvd: string;
  bridge: string;
  mac: string;
  ip?: string;
  vifname: string;
  /** Its TVD's MTU on this host. */
  mtu: number;
}

/** What a guest's xl.cfg holds besides its vifs; src/plan/xl-config.ts writes the file from it. */
export interface VmDomain {
  type: 'pv' | 'pvh' | 'hvm';
  memory: number;
  vcpus: number;
  kernel?: string;
  ramdisk?: string;
  /** The guest kernel's own address setting (ip=...), when it has one. */
  extra?: string;
  disk?: string[];
}

/**
 * A guest: its xl.cfg file, and the running domain when `start`. The file's text is rendered from
 * these attributes where it is written: a state that held it recorded 4 of the 9 MB of a
 * 1,000-host fleet's state (bench/plan-scale.ts).
 */
export interface VmAttrs {
  path: string;
  domain: VmDomain;
  start: boolean;
  nics: VmNic[];
}

/** A vm as states before structured attributes recorded it: the xl.cfg text, NICs without MTU. */
export interface LegacyVmAttrs {
  path: string;
  config: string;
  start: boolean;
  nics: Omit<VmNic, 'mtu'>[];
}

/** One admission the host's proxy grants: this VM's vif with this MAC may join this bridge. */
export interface Admission {
  vm: string;
  tvd: string;
  bridge: string;
  mac: string;
}

/** The host's TVD proxy: its policy and the vif hook that enforces it. */
export interface ProxyAttrs {
  admissions: Admission[];
  /** Digest of the rendered hook and boot unit, so a new tvd version updates them. */
  hookDigest: string;
}

export interface AttrsByType {
  proxy: ProxyAttrs;
  vswitch: VswitchAttrs;
  vlan: VlanAttrs;
  wireguard: WireguardAttrs;
  encap: EncapAttrs;
  firewall: FirewallAttrs;
  transit: TransitAttrs;
  vm: VmAttrs;
}

export interface Resource<T extends ResourceType = ResourceType> {
  address: Address & { type: T };
  attrs: AttrsByType[T];
}

export type AnyResource = { [T in ResourceType]: Resource<T> }[ResourceType];
