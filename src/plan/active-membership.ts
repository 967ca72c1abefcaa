// Active membership (the paper's step 6), pure: a running VM joins or leaves a TVD as a one-off.
// The change is planned as if the file said so (the VM's NICs as deployed, plus or minus one),
// and only the resources that this one change touches are applied: the VM (live
// network-attach/-detach through the proxy), its host's proxy (the admission in policy.json,
// before the vif hook is asked), and, where the TVD newly reaches or leaves a host, its
// vSwitch, tunnels and firewall. The state records it; the next plan shows the file's view as
// a difference until the file says the same.
import type { Capabilities } from '../capabilities/schema.js';
import type { NicSpec, Topology, VmSpec } from '../topology/schema.js';
import type { State } from '../state/state.js';
import type { PlannedAction } from './plan.js';
import type { AnyResource, VmAttrs } from './resources.js';
import { actionAddress, addressKey } from '../address/address.js';
import { checkMembership } from './membership.js';
import { flowMatrix } from './flow-matrix.js';
import { changedKeys, diffResources } from './diff.js';
import { ipInSubnet } from '../topology/cidr.js';
import { nicKey, recordedMacs } from './mac-assignment.js';
import { internal } from './internal.js';

export type Change = { kind: 'join'; vm: string; tvd: string; ip?: string; mac?: string } | { kind: 'leave'; vm: string; tvd: string };

/** The VM's NICs as deployed (from the state), as topology NICs, in their vif order. */
export function deployedNics(state: State, host: string, vm: string): NicSpec[] | undefined {
  const r = state.resources.find((x) => x.host === host && x.type === 'vm' && x.name === vm);
  if (!r) return undefined;
  const nics = [...(r.attrs as VmAttrs).nics].sort((a, b) => Number(a.vifname.split('.').pop()) - Number(b.vifname.split('.').pop()));
  return nics.map((n) => ({ tvd: n.tvd, mac: n.mac, ...(n.ip ? { ip: n.ip } : {}) }));
}

/** The topology with the VM (`spec`, as the topology has it) given these NICs. */
function withNics(t: Topology, vm: string, spec: VmSpec, nics: NicSpec[]): Topology {
  return { ...t, vms: { ...t.vms, [vm]: { ...spec, nics } } };
}

/**
 * Whether the change is allowed, and the two topologies to plan from: `base` (the file, with
 * the VM's NICs as deployed) and `next` (with the change). Refusals are one clear sentence.
 */
export function prepareChange(
  t: Topology,
  state: State,
  caps: Record<string, Capabilities>,
  c: Change,
): { ok: true; base: Topology; next: Topology; warnings: string[] } | { ok: false; reason: string } {
  const spec = t.vms?.[c.vm];
  if (!spec) return { ok: false, reason: `the topology has no VM ${c.vm}` };
  if (!t.tvds[c.tvd]) return { ok: false, reason: `the topology has no TVD ${c.tvd} (it has: ${Object.keys(t.tvds).sort().join(', ')})` };
  const nics = deployedNics(state, spec.host, c.vm);
  if (!nics) return { ok: false, reason: `${c.vm} is not deployed on ${spec.host}; run \`tvd apply\` first` };
  const base = withNics(t, c.vm, spec, nics);
  const member = nics.some((n) => n.tvd === c.tvd);
  if (c.kind === 'leave') {
    if (!member) return { ok: false, reason: `${c.vm} is not a member of ${c.tvd}` };
    return {
      ok: true,
      base,
      next: withNics(
        t,
        c.vm,
        spec,
        nics.filter((n) => n.tvd !== c.tvd),
      ),
      warnings: [],
    };
  }
  if (member) return { ok: false, reason: `${c.vm} is already a member of ${c.tvd}` };
  const tvd = t.tvds[c.tvd];
  if (c.ip !== undefined) {
    if (!tvd.subnet) return { ok: false, reason: `${c.tvd} has no subnet, so --ip ${c.ip} cannot be in it` };
    if (!ipInSubnet(c.ip, tvd.subnet)) return { ok: false, reason: `--ip ${c.ip} is not in ${c.tvd}'s subnet ${tvd.subnet}` };
  }
  // The TVD's membership requirements, on the VM's host, as collected just now: whatever
  // onFailure says, a host that fails now cannot take a new member.
  const host = t.hosts?.[spec.host] ?? internal(`VM ${c.vm}'s host ${spec.host} is not in the topology (its checks make sure it is)`);
  const failures = checkMembership(c.tvd, tvd, spec.host, host, caps[spec.host]);
  if (failures.length) return { ok: false, reason: failures.map((f) => f.message).join('; ') };
  // A VM in two TVDs carries traffic between them past their firewalls: only where the flow
  // matrix lets everything through in both directions.
  const m = flowMatrix(t);
  for (const n of nics) {
    const there = m.get(n.tvd, c.tvd).connection;
    const back = m.get(c.tvd, n.tvd).connection;
    if (there !== 'open' || back !== 'open') {
      return {
        ok: false,
        reason: `${c.vm} is a member of ${n.tvd}, and the flow matrix says ${n.tvd} -> ${c.tvd} is ${there} and ${c.tvd} -> ${n.tvd} is ${back}: as a member of both it would carry traffic past that policy`,
      };
    }
  }
  // A MAC another NIC has would take it from that NIC, which this one-off must not touch.
  if (c.mac !== undefined) {
    const mac = c.mac.toLowerCase();
    const recorded = recordedMacs(state.resources);
    const given = Object.entries(t.vms ?? {}).flatMap(([vm, s]) =>
      s.nics.filter((n) => n.mac?.toLowerCase() === mac).map((n) => nicKey(vm, n.tvd)),
    );
    const holder = [...recorded].find(([, m]) => m === mac)?.[0] ?? given[0];
    if (holder)
      return {
        ok: false,
        reason: `--mac ${c.mac} is already the MAC of ${holder.replace('/', "'s NIC on ")}; leave --mac out to have a free one derived`,
      };
  }
  const nic: NicSpec = { tvd: c.tvd, ...(c.mac ? { mac: c.mac } : {}), ...(c.ip ? { ip: c.ip } : {}) };
  return { ok: true, base, next: withNics(t, c.vm, spec, [...nics, nic]), warnings: [] };
}

/**
 * The actions of the change: the diff of `next` against the state, restricted to the resources
 * whose desired attributes differ between `base` and `next`. A running VM is never restarted
 * for it: its NIC is attached or detached live, its new config takes effect at its next start.
 */
export function changeActions(baseDesired: AnyResource[], nextDesired: AnyResource[], state: State): PlannedAction[] {
  const before = new Map(baseDesired.map((r) => [addressKey(r.address), r.attrs]));
  const after = new Map(nextDesired.map((r) => [addressKey(r.address), r.attrs]));
  const touched = new Set(
    [...before.keys(), ...after.keys()].filter(
      (k) => !before.has(k) || !after.has(k) || changedKeys(before.get(k), after.get(k)).length > 0,
    ),
  );
  return diffResources(nextDesired, state.resources)
    .filter((a) => touched.has(actionAddress(a)))
    .map((a) => {
      if (a.resource.type !== 'vm' || a.action !== 'replace' || (a.before as VmAttrs).path !== (a.after as VmAttrs).path) return a;
      const { forcesReplacement: _f, domain: _d, ...rest } = a;
      return { ...rest, action: 'update' as const, reason: 'live-nics' as const };
    });
}
