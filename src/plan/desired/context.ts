// What every phase of buildDesired reads (the input, named once) and where it reports (one sink,
// so that errors keep the order in which the phases find them: the plan prints them so).
import type { Capabilities } from '../../capabilities/schema.js';
import type { Encapsulation, HostSpec, Topology, TvdSpec, VmSpec } from '../../topology/schema.js';
import { DEFAULT_TRANSIT_POOL } from '../../topology/schema-constants.js';
import type { Allocations } from '../../state/state.js';
import { type Cidr, firstHost, intToIp, parseCidr } from '../../topology/cidr.js';
import type { FlowMatrix } from '../flow-matrix.js';
import { flowMatrix } from '../flow-matrix.js';
import type { PlanError, PlanWarning } from '../plan.js';
import { internal } from '../internal.js';
import { type NamedVm, vmsByName } from '../vms-by-name.js';

export interface DesiredInput {
  topology: Topology;
  capabilities: Record<string, Capabilities>;
  /** Ids handed out by earlier applies (from the state). */
  allocations: Allocations;
  /** Digest of the rendered proxy hook and boot unit: a new tvd version updates them. */
  hookDigest: string;
  /** Where each TVD's firewall runs now (from the state): it stays there while it may. */
  priorFirewalls?: Record<string, string>;
  /** The MAC of each deployed NIC, by nicKey (from the state, as recordedMacs gives it: lower case, checked): it keeps it. */
  recordedMacs?: ReadonlyMap<string, string>;
  /** host -> VM -> the tag of its vif names there (from the state): it keeps it. */
  recordedVifTags?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Each host's WireGuard public key as the state recorded it (for plans without a refresh). */
  recordedWireguardKeys?: Record<string, { generation: number; publicKey: string }>;
  /** The topology's VMs by name, when the caller has them already (vms-by-name.ts). */
  vmList?: readonly NamedVm[];
}

export interface Isolation {
  host: string;
  tvd: string;
  reason: string;
}

export interface PlanContext {
  input: DesiredInput;
  topology: Topology;
  capabilities: Record<string, Capabilities>;
  hosts: Record<string, HostSpec>;
  vms: Record<string, VmSpec>;
  /** The VMs by name: walk this, not `vms` (vms-by-name.ts says why). */
  vmList: readonly NamedVm[];
  /** All TVDs, by name. */
  tvdNames: string[];
  encap: Encapsulation;
  matrix: FlowMatrix;
  transitPool: Cidr;
  /** defaults.transit as written (or its default), for messages. */
  transitPoolText: string;
}

/** Where the phases report. */
export interface Sink {
  errors: PlanError[];
  warnings: PlanWarning[];
}

export const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function planContext(input: DesiredInput): PlanContext {
  const { topology } = input;
  const transitPoolText = topology.defaults?.transit ?? DEFAULT_TRANSIT_POOL;
  return {
    input,
    topology,
    capabilities: input.capabilities,
    hosts: topology.hosts ?? {},
    vms: topology.vms ?? {},
    vmList: input.vmList ?? vmsByName(topology),
    tvdNames: Object.keys(topology.tvds).sort(byName),
    encap: topology.defaults?.encapsulation ?? 'vxlan',
    matrix: flowMatrix(topology),
    transitPool: parseCidr(transitPoolText) ?? internal(`defaults.transit ${transitPoolText} is no CIDR (the schema checks it)`),
    transitPoolText,
  };
}

/** A host's capability model: the first phase makes sure every host that runs VMs has one. */
export function capsOf(ctx: PlanContext, host: string): Capabilities {
  return ctx.capabilities[host] ?? internal(`host ${host} has no capability model`);
}

export function tvdSpec(ctx: PlanContext, tvd: string): TvdSpec {
  return ctx.topology.tvds[tvd] ?? internal(`no TVD ${tvd}`);
}

/** A TVD's subnet, where an earlier phase made sure it has one (connected TVDs must). */
export function subnetOf(ctx: PlanContext, tvd: string): string {
  return tvdSpec(ctx, tvd).subnet ?? internal(`TVD ${tvd} has no subnet`);
}

/** The TVD's gateway: as written, else its subnet's first host. */
export function gatewayOf(tvd: TvdSpec): string | undefined {
  if (tvd.gateway) return tvd.gateway;
  const c = tvd.subnet ? parseCidr(tvd.subnet) : undefined;
  const g = c ? firstHost(c) : undefined;
  return g === undefined ? undefined : intToIp(g);
}
