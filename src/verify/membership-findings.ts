// Membership over time, pure: every TVD's requirements against the hosts that carry its member
// VMs in the topology, with capability models collected just now.
import type { Capabilities } from '../capabilities/schema.js';
import type { Topology } from '../topology/schema.js';
import type { State } from '../state/state.js';
import type { VmAttrs } from '../plan/resources.js';
import { checkMembership } from '../plan/membership.js';
import { compareFindings, type Finding } from '../refresh/finding.js';

/** With `state`, an isolated host is told apart from one the next apply will isolate. */
export function membershipFindings(topology: Topology, capabilities: Record<string, Capabilities>, state?: State): Finding[] {
  const out: Finding[] = [];
  const hosts = topology.hosts ?? {};
  for (const [t, spec] of Object.entries(topology.tvds)) {
    const carriers = new Set(
      Object.values(topology.vms ?? {})
        .filter((v) => v.nics.some((n) => n.tvd === t))
        .map((v) => v.host),
    );
    for (const h of [...carriers].sort()) {
      if (!hosts[h] || !capabilities[h]) continue;
      for (const f of checkMembership(t, spec, h, hosts[h], capabilities[h])) {
        const policy = spec.membership?.check === 'continual' ? (spec.membership.onFailure ?? 'warn') : 'one-time';
        const cutOff =
          state && !state.resources.some((r) => r.host === h && r.type === 'vm' && (r.attrs as VmAttrs).nics.some((n) => n.tvd === t));
        const then =
          policy === 'isolate'
            ? cutOff
              ? `; its VMs are cut off from ${t} until it passes again (membership.onFailure: isolate)`
              : `; the next apply cuts its VMs off from ${t} (membership.onFailure: isolate)`
            : policy === 'warn'
              ? ' (membership.onFailure: warn)'
              : `; plan and apply refuse until it does (membership.check: one-time)`;
        out.push({
          kind: 'membership',
          host: h,
          tvd: t,
          property: f.property,
          message: f.message + then,
          offers: f.offers,
          accepted: f.accepted,
          ...(f.values ? { values: f.values } : {}),
        });
      }
    }
  }
  return out.sort(compareFindings);
}
