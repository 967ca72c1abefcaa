// VMs, and each host's proxy with the admissions it grants. MACs are assigned for every NIC of the
// topology, cut off or not, so that they depend on the file and the state alone.
import { parseCidr } from '../../topology/cidr.js';
import { bridgeName, vifName, vmConfigPath } from '../interface-names.js';
import { assignMacs, nicKey, type NicRef } from '../mac-assignment.js';
import type { Admission, AnyResource, VmNic } from '../resources.js';
import { assignVifTags } from '../vif-tags.js';
import { type GuestAddress, vmDomain } from '../xl-config.js';
import { byName, gatewayOf, type PlanContext, type Sink } from './context.js';
import { getOrAdd, internal, lookup } from '../internal.js';
import type { Fabric } from './fabric-phase.js';
import type { Firewalls } from './firewall-phase.js';
import type { Ids } from './ids-phase.js';
import type { Membership } from './membership-phase.js';

export interface VmInputs {
  membership: Membership;
  tvdIds: Ids;
  fabric: Fabric;
  firewalls: Pick<Firewalls, 'has'>;
}

export interface VmPlan {
  resources: AnyResource[];
  /** host -> the admissions its proxy grants. */
  admissions: Map<string, Admission[]>;
}

export function vmResources(ctx: PlanContext, at: VmInputs, sink: Sink): VmPlan {
  const resources: AnyResource[] = [];
  // Loops, not flatMap/forEach with spreads: this runs once per NIC (10,000 at 1,000 hosts), mostly
  // before V8 has optimized it, where each closure and spread object costs.
  const refs: NicRef[] = [];
  for (const { name: vm, spec } of ctx.vmList) {
    const list = spec.nics;
    for (let index = 0; index < list.length; index++) {
      const nic = list[index];
      refs.push(nic.mac ? { vm, index, tvd: nic.tvd, mac: nic.mac } : { vm, index, tvd: nic.tvd });
    }
  }
  const assigned = assignMacs(refs, ctx.input.recordedMacs ?? new Map());
  for (const message of assigned.errors) sink.errors.push({ code: 'mac-collision', message });
  for (const message of assigned.warnings) sink.warnings.push({ code: 'mac-taken', message });
  const vifTags = vifTagsOf(ctx);
  const guestNet = guestNetworks(ctx, at.firewalls);
  const admissions = new Map<string, Admission[]>();
  const bridges = new Map<string, string>(); // TVD -> its bridge's name, made once
  for (const { name: vm, spec } of ctx.vmList) {
    const nics: VmNic[] = [];
    const list = spec.nics;
    for (let i = 0; i < list.length; i++) {
      const nic = list[i];
      if (at.membership.isCutOff(spec.host, nic.tvd) || at.tvdIds[nic.tvd] === undefined) continue;
      const mac = assigned.macs.get(nicKey(vm, nic.tvd));
      if (mac === undefined) continue;
      const bridge = getOrAdd(bridges, nic.tvd, () => bridgeName(at.tvdIds[nic.tvd]));
      const vifname = vifName(lookup(vifTags, vm, 'vif tag'), i);
      const mtu = lookup(at.fabric.mtu, nic.tvd, 'MTU');
      nics.push(nic.ip ? { tvd: nic.tvd, bridge, mac, ip: nic.ip, vifname, mtu } : { tvd: nic.tvd, bridge, mac, vifname, mtu });
      getOrAdd(admissions, spec.host, () => []).push({ vm, tvd: nic.tvd, bridge, mac });
    }
    resources.push({
      address: { host: spec.host, type: 'vm', name: vm },
      attrs: {
        path: vmConfigPath(vm),
        domain: vmDomain(spec, guestOf(nics, guestNet)),
        start: spec.start ?? false,
        nics,
      },
    });
  }
  return { resources, admissions };
}

/** VM -> the tag of its vif names on its host. */
function vifTagsOf(ctx: PlanContext): Map<string, number> {
  const vmsOn = new Map<string, string[]>();
  for (const { name: vm, spec } of ctx.vmList) {
    const list = vmsOn.get(spec.host);
    if (list) list.push(vm);
    else vmsOn.set(spec.host, [vm]);
  }
  const vifTags = new Map<string, number>();
  for (const [h, list] of vmsOn) for (const [vm, tag] of assignVifTags(list, ctx.input.recordedVifTags?.get(h))) vifTags.set(vm, tag);
  return vifTags;
}

type GuestNetwork = { prefix: number; gateway?: string };

/** Per TVD with a subnet, the guest's prefix and gateway: once per TVD, not once per VM. */
function guestNetworks(ctx: PlanContext, firewalls: Pick<Firewalls, 'has'>): (tvd: string) => GuestNetwork | undefined {
  const known = new Map<string, GuestNetwork | undefined>();
  return (tvd) => {
    if (known.has(tvd)) return known.get(tvd);
    const spec = ctx.topology.tvds[tvd];
    const net = spec?.subnet
      ? {
          prefix: (parseCidr(spec.subnet) ?? internal(`tvds.${tvd}.subnet is no CIDR`)).prefix,
          ...(firewalls.has.has(tvd) ? { gateway: gatewayOf(spec) } : {}),
        }
      : undefined;
    known.set(tvd, net);
    return net;
  };
}

/** The guest's own address setting: from its first NIC with an IP, on a TVD with a subnet. */
function guestOf(nics: readonly VmNic[], networkOf: (tvd: string) => GuestNetwork | undefined): GuestAddress | undefined {
  const first = nics.find((n) => n.ip);
  const net = first ? networkOf(first.tvd) : undefined;
  if (!first?.ip || !net) return undefined;
  return { ip: first.ip, prefix: net.prefix, ...('gateway' in net ? { gateway: net.gateway } : {}) };
}

/** One proxy on every host that holds a resource, with the admissions of its VMs. */
export function proxyResources(
  ctx: PlanContext,
  admissions: ReadonlyMap<string, Admission[]>,
  others: readonly AnyResource[],
): AnyResource[] {
  const proxyHosts = [...new Set(others.map((r) => r.address.host))].sort(byName);
  return proxyHosts.map((h) => {
    const list = (admissions.get(h) ?? []).sort((x, y) => byName(x.vm, y.vm) || byName(x.bridge, y.bridge));
    return { address: { host: h, type: 'proxy', name: h }, attrs: { admissions: list, hookDigest: ctx.input.hookDigest } };
  });
}
