// Confidential TVDs (tvds.<name>.confidentiality: required): their VXLAN between two hosts runs
// inside WireGuard between the two Dom0s. One WireGuard interface per host (one key, one port,
// with wireguard-go one daemon), a peer per host it shares a confidential TVD or a transit link
// of one with; each host has an inner address from defaults.wireguard, and the TVD's VXLAN (and
// transit VXLAN) endpoints use those. Pure: the public keys come from the capability model (the
// refresh reads them, src/apply/render/wireguard-key.ts) or, without a refresh, from the state.
import type { Capabilities } from '../capabilities/schema.js';
import type { Topology, TvdSpec } from '../topology/schema.js';
import { DEFAULT_WIREGUARD_POOL } from '../topology/schema-constants.js';
import { type Cidr, intToIp, parseCidr, subnetsOverlap } from '../topology/cidr.js';
import type { PlanError } from './plan.js';
import type { AnyResource, EncapAttrs, Resource, TransitAttrs, VlanAttrs, VswitchAttrs, WireguardAttrs } from './resources.js';
import { addressKey } from '../address/address.js';
import { allocateIds } from './ids.js';
import { connected, flowMatrix } from './flow-matrix.js';
import { getOrAdd } from './internal.js';

export const WIREGUARD_PORT = 51820;
export const WIREGUARD_DEVICE = 'tvdwg0';
/** Bytes WireGuard adds on an IPv4 underlay: outer IPv4 (20), UDP (8), its header and tag (32). */
export const WIREGUARD_OVERHEAD = 60;

export type WireguardImplementation = WireguardAttrs['implementation'];

export const isConfidential = (t: TvdSpec | undefined) => t?.confidentiality === 'required';

/** The kernel's WireGuard where the Dom0 has it, else wireguard-go; undefined when neither. */
export function wireguardImplementation(c: Capabilities | undefined): WireguardImplementation | undefined {
  if (c?.mechanisms.wireguard) return 'kernel';
  if (c?.mechanisms['wireguard-go']) return 'wireguard-go';
  return undefined;
}

export const keyGeneration = (topology: Topology, host: string) => topology.hosts?.[host]?.keyGeneration ?? 1;

/**
 * The hosts whose WireGuard key a plan may need, with the generation wanted: every host with a VM
 * of a confidential TVD that spans hosts, and of each TVD connected to one (a transit link of it
 * may end on any of them), and pinned firewall hosts of those. The refresh makes these keys.
 */
export function wireguardKeyNeeds(topology: Topology): Record<string, number> {
  const secret = Object.keys(topology.tvds).filter((t) => isConfidential(topology.tvds[t]));
  if (secret.length === 0) return {};
  const hostsOf = new Map<string, Set<string>>();
  for (const vm of Object.values(topology.vms ?? {})) {
    for (const nic of vm.nics) getOrAdd(hostsOf, nic.tvd, () => new Set()).add(vm.host);
  }
  const matrix = flowMatrix(topology);
  const need = new Set<string>();
  for (const t of secret) {
    const mine = [...(hostsOf.get(t) ?? [])];
    const fw = topology.tvds[t].firewall;
    if (fw) mine.push(fw);
    if (new Set(mine).size > 1) mine.forEach((h) => need.add(h));
    for (const u of Object.keys(topology.tvds)) {
      if (u === t || !(connected(matrix, t, u) || connected(matrix, u, t))) continue;
      const theirs = [...(hostsOf.get(u) ?? [])];
      const pinned = topology.tvds[u].firewall;
      if (pinned) theirs.push(pinned);
      if (theirs.some((h) => !mine.includes(h)) || mine.some((h) => !theirs.includes(h))) [...mine, ...theirs].forEach((h) => need.add(h));
    }
  }
  const hosts = topology.hosts ?? {};
  return Object.fromEntries(
    [...need]
      .filter((h) => hosts[h])
      .sort()
      .map((h) => [h, keyGeneration(topology, h)]),
  );
}

/** Each host's public key of one generation, as the state recorded it (a plan without refresh). */
export function recordedWireguardKeys(
  resources: { host: string; type: string; attrs: unknown }[],
): Record<string, { generation: number; publicKey: string }> {
  const out: Record<string, { generation: number; publicKey: string }> = {};
  for (const r of resources) {
    if (r.type !== 'wireguard') continue;
    const a = r.attrs as WireguardAttrs;
    out[r.host] = { generation: a.generation, publicKey: a.publicKey };
  }
  return out;
}

export interface WireguardPlanner {
  /** The host's inner address (allocated on first use, kept across applies by the state). */
  inner(host: string): string;
  /** The two hosts exchange frames of a confidential TVD: each becomes the other's peer. */
  link(a: string, b: string): void;
  /** The wireguard resources of every linked host, and the allocations to record. */
  finish(): { resources: Resource<'wireguard'>[]; allocations: Record<string, number> };
}

export interface WireguardInput {
  topology: Topology;
  capabilities: Record<string, Capabilities>;
  underlay: (host: string) => string;
  uplinkMtu: (host: string) => number;
  prior: Record<string, number>;
  recordedKeys: Record<string, { generation: number; publicKey: string }>;
  errors: PlanError[];
}

interface WireguardPool {
  /** defaults.wireguard as written (or its default), for messages. */
  text: string;
  cidr: Cidr;
}

export function wireguardPlanner(input: WireguardInput): WireguardPlanner {
  const text = input.topology.defaults?.wireguard ?? DEFAULT_WIREGUARD_POOL;
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`internal error in the planner: defaults.wireguard ${text} is no CIDR (the schema checks it)`);
  const pool = { text, cidr };
  const ids: Record<string, number> = {};
  const peers = new Map<string, Set<string>>();
  const inner = innerAddresses(input, pool, ids);
  const addPeer = (a: string, b: string) => {
    const set = peers.get(a);
    if (set) set.add(b);
    else peers.set(a, new Set([b]));
  };
  return {
    inner,
    link(a, b) {
      addPeer(a, b);
      addPeer(b, a);
    },
    finish: () => ({ resources: wireguardResources(input, pool, peers, inner), allocations: ids }),
  };
}

/** Each host's inner address, allocated on first use into `ids` (one error when the pool is full). */
function innerAddresses(input: WireguardInput, pool: WireguardPool, ids: Record<string, number>): (host: string) => string {
  const space = { min: 1, max: Math.max(0, 2 ** (32 - pool.cidr.prefix) - 2) };
  let full = false;
  return (host) => {
    if (ids[host] === undefined) {
      // Every other host's address, recorded or new, is held; this host keeps its own.
      const held = Object.fromEntries(Object.entries({ ...input.prior, ...ids }).filter(([h]) => h !== host));
      const a = allocateIds([host], space, held, input.prior[host] === undefined ? {} : { [host]: input.prior[host] });
      if (a.unassigned.length) {
        if (!full)
          input.errors.push({
            code: 'ids-exhausted',
            host,
            message: `defaults.wireguard ${pool.text} has no room for the inner address of host ${host}; set it to a larger range`,
          });
        full = true;
        return intToIp(pool.cidr.network);
      }
      ids[host] = a.ids[host];
    }
    return intToIp(pool.cidr.network + ids[host]);
  };
}

/** The host's public key of the wanted generation, from a refresh or else the state; an error when neither has it. */
function publicKeyOf(input: WireguardInput, h: string): string | undefined {
  const want = keyGeneration(input.topology, h);
  const read = input.capabilities[h]?.wireguardKey;
  if (read?.generation === want) return read.publicKey;
  const recorded = input.recordedKeys[h];
  if (recorded?.generation === want) return recorded.publicKey;
  input.errors.push({
    code: 'no-wireguard-key',
    host: h,
    message: `host ${h} needs a WireGuard key (generation ${want}) for a confidential TVD, but none is known: plan without --capabilities, so that the refresh over SSH makes it on the host and reads its public key`,
  });
  return undefined;
}

/** The wireguard resource of every linked host. */
function wireguardResources(
  input: WireguardInput,
  pool: WireguardPool,
  peers: ReadonlyMap<string, ReadonlySet<string>>,
  inner: (host: string) => string,
): Resource<'wireguard'>[] {
  const { topology } = input;
  const resources: Resource<'wireguard'>[] = [];
  // Only where WireGuard is used: other topologies may have subnets anywhere.
  if (peers.size > 0) {
    for (const [t, spec] of Object.entries(topology.tvds)) {
      if (spec.subnet && subnetsOverlap(spec.subnet, pool.cidr)) {
        input.errors.push({
          code: 'wireguard-pool',
          tvd: t,
          message: `tvds.${t}.subnet ${spec.subnet} overlaps the WireGuard pool ${pool.text}; set defaults.wireguard to a free range`,
        });
      }
    }
  }
  const keys = new Map([...peers.keys()].map((h) => [h, publicKeyOf(input, h)]));
  for (const [h, set] of [...peers].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const implementation = wireguardImplementation(input.capabilities[h]);
    const own = keys.get(h);
    if (!implementation || own === undefined) continue; // an error says so
    const list = [...set].sort().flatMap((p) => {
      const pk = keys.get(p);
      return pk === undefined ? [] : [{ host: p, publicKey: pk, endpoint: input.underlay(p), port: WIREGUARD_PORT, address: inner(p) }];
    });
    const attrs: WireguardAttrs = {
      device: WIREGUARD_DEVICE,
      implementation,
      generation: keyGeneration(topology, h),
      publicKey: own,
      listenPort: WIREGUARD_PORT,
      address: `${inner(h)}/${pool.cidr.prefix}`,
      mtu: input.uplinkMtu(h) - WIREGUARD_OVERHEAD,
      peers: list,
    };
    resources.push({ address: { host: h, type: 'wireguard', name: h }, attrs });
  }
  return resources;
}

export function wireguardLack(host: string, c: Capabilities): string | undefined {
  const lacks: string[] = [];
  if (!wireguardImplementation(c)) lacks.push('WireGuard (neither the kernel module nor wireguard-go, each with wg from wireguard-tools)');
  if (!c.mechanisms.vxlan) lacks.push('vxlan');
  if (!c.functional.includes('ip')) lacks.push('an IPv4 address on an uplink');
  return lacks.length ? `${host} lacks ${lacks.join(' and ')}` : undefined;
}

/**
 * The static proof of confidentiality, beside the reachability proof: no frame of a confidential
 * TVD leaves a host but inside WireGuard. Every VXLAN endpoint and transit link of such a TVD sends
 * over the WireGuard interface to addresses that its host's interface has as peers; none has a
 * VLAN or a dedicated NIC. Returns one message per violation (none when the planner is right).
 */
export function proveConfidentiality(topology: Topology, resources: AnyResource[]): string[] {
  const out: string[] = [];
  if (!Object.values(topology.tvds).some(isConfidential)) return out;
  const secret = (t: string) => isConfidential(topology.tvds[t]);
  const peersOn = new Map<string, Set<string>>();
  for (const r of resources)
    if (r.address.type === 'wireguard') peersOn.set(r.address.host, new Set((r.attrs as WireguardAttrs).peers.map((p) => p.address)));
  const inside = (host: string, uplink: string | undefined, to: string[]) =>
    uplink === WIREGUARD_DEVICE && to.every((a) => peersOn.get(host)?.has(a));
  for (const r of resources) {
    const where = addressKey(r.address);
    if (r.address.type === 'vlan') {
      const a = r.attrs as VlanAttrs;
      if (secret(a.tvd)) out.push(`static proof failed: ${where} carries the confidential TVD ${a.tvd} on an 802.1Q VLAN`);
    } else if (r.address.type === 'vswitch') {
      const a = r.attrs as VswitchAttrs;
      if (secret(a.tvd) && a.dedicated) out.push(`static proof failed: ${where} carries the confidential TVD ${a.tvd} on a dedicated NIC`);
    } else if (r.address.type === 'encap') {
      const a = r.attrs as EncapAttrs;
      if (secret(a.tvd) && !inside(r.address.host, a.uplink, a.peers))
        out.push(`static proof failed: ${where} sends the confidential TVD ${a.tvd} outside WireGuard`);
    } else if (r.address.type === 'transit') {
      const a = r.attrs as TransitAttrs;
      if (a.kind === 'vxlan' && a.pair.some(secret) && !inside(r.address.host, a.uplink, [a.remote ?? ''])) {
        out.push(`static proof failed: ${where} carries the confidential TVD ${a.pair.filter(secret).join(', ')} outside WireGuard`);
      }
    }
  }
  return out;
}
