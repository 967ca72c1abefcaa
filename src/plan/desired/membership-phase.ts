// The first phases: every host that runs VMs has a capability model; the members of each TVD;
// who is cut off by a failed membership requirement; the hosts that carry each TVD.
import { checkMembership } from '../membership.js';
import { byName, type Isolation, type PlanContext, type Sink, tvdSpec } from './context.js';
import { lookup } from '../internal.js';

export interface Member {
  vm: string;
  host: string;
  /** The index of the VM's NIC on the TVD. */
  nic: number;
}

export interface Membership {
  /** TVD -> its member NICs, by VM name; every TVD has a list. */
  members: ReadonlyMap<string, readonly Member[]>;
  /** TVD -> the members whose host is not cut off from it. */
  admitted: ReadonlyMap<string, readonly Member[]>;
  isCutOff(host: string, tvd: string): boolean;
  /** Hosts cut off from a TVD by `membership.onFailure: isolate`. */
  isolated: Isolation[];
}

/** TVD -> the hosts that carry it, by name. */
export type Carriers = ReadonlyMap<string, readonly string[]>;

/** False (and errors) when a host that runs VMs has no capability model: nothing else can be planned. */
export function checkCapabilityModels(ctx: PlanContext, sink: Sink): boolean {
  const usedHosts = [...new Set(ctx.vmList.map((v) => v.spec.host))].sort(byName);
  for (const h of usedHosts) {
    if (!ctx.capabilities[h]) {
      sink.errors.push({
        code: 'no-capabilities',
        host: h,
        message: `host ${h} has no capability model: run \`tvd capabilities\` or let plan refresh it over SSH`,
      });
    }
  }
  return sink.errors.length === 0;
}

export function admitMembers(ctx: PlanContext, sink: Sink): Membership {
  const members = new Map<string, Member[]>(ctx.tvdNames.map((t) => [t, []]));
  for (const { name: vm, spec } of ctx.vmList) {
    spec.nics.forEach((nic, i) => members.get(nic.tvd)?.push({ vm, host: spec.host, nic: i }));
  }
  const cutOff = new Map<string, Set<string>>();
  const isCutOff = (host: string, tvd: string) => cutOff.get(tvd)?.has(host) ?? false;
  const isolated: Isolation[] = [];
  for (const t of ctx.tvdNames) {
    const spec = tvdSpec(ctx, t);
    const continual = spec.membership?.check === 'continual';
    const hostsOfT = [...new Set(lookup(members, t, 'member list').map((m) => m.host))].sort(byName);
    for (const h of hostsOfT) {
      for (const f of checkMembership(t, spec, h, ctx.hosts[h], ctx.capabilities[h])) {
        if (continual && spec.membership?.onFailure === 'isolate') {
          cutOff.set(t, (cutOff.get(t) ?? new Set()).add(h));
          isolated.push({ host: h, tvd: t, reason: f.message });
          sink.warnings.push({
            code: 'membership',
            message: `${f.message}; its VMs are cut off from ${t} (membership.onFailure: isolate)`,
          });
        } else if (continual) {
          sink.warnings.push({ code: 'membership', message: `${f.message} (membership.onFailure: warn)` });
        } else {
          sink.errors.push({ code: 'membership', tvd: t, host: h, message: f.message });
        }
      }
    }
  }
  const admitted = new Map([...members].map(([t, list]) => [t, list.filter((m) => !isCutOff(m.host, t))]));
  return { members, admitted, isCutOff, isolated };
}

/** The hosts with admitted members of each TVD. */
export function carriersOf(ctx: PlanContext, membership: Membership): Map<string, string[]> {
  return new Map(ctx.tvdNames.map((t) => [t, [...new Set(lookup(membership.admitted, t, 'member list').map((m) => m.host))].sort(byName)]));
}

/** The TVDs that some host carries, by name. */
export function liveTvds(ctx: PlanContext, carriers: Carriers): string[] {
  return ctx.tvdNames.filter((t) => lookup(carriers, t, 'carrier list').length > 0);
}
