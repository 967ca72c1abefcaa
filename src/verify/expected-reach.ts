// What the flow matrix says one endpoint may start towards another: the oracle of the lab's
// traffic proof (between VMs) and of `tvd verify --probe` (between probe endpoints). Pure.
import type { Topology } from '../topology/schema.js';
import { flowMatrix, type MatrixEntry } from '../plan/flow-matrix.js';

export interface ReachProbe {
  from: string;
  to: string;
  toIp: string;
  fromTvd: string;
  toTvd: string;
  /** 'icmp' or 'tcp/PORT'. */
  probe: string;
  expected: boolean;
}

/** A TCP port no example allows, to prove that what is not allowed is refused. */
export const FORBIDDEN_PORT = 7;

/**
 * Ports no rule names, tried besides it, so that TCP on a port no rule speaks of is proved
 * open within a TVD and across open connections on more than one port: an outside check once
 * found TCP to 9090 failing inside a TVD, a port this proof had never tried. The first ones
 * no rule names are taken; there are always at least two.
 */
const UNNAMED_CANDIDATES = [9090, 40001, 40002, 40003];

/** The TCP ports every pair is tried on: every allowed port, the forbidden one, two unnamed. */
export function probePorts(t: Topology): number[] {
  const named = new Set<number>();
  for (const f of t.flows ?? []) for (const r of f.allow ?? []) if (r.port !== undefined) named.add(r.port);
  const ports = new Set<number>([FORBIDDEN_PORT]);
  for (const f of t.flows ?? []) for (const r of f.allow ?? []) if (r.proto === 'tcp' && r.port !== undefined) ports.add(r.port);
  const unnamed = UNNAMED_CANDIDATES.filter((p) => !named.has(p) && p !== FORBIDDEN_PORT).slice(0, 2);
  if (unnamed.length < 2)
    throw new Error(`every port of ${UNNAMED_CANDIDATES.join(', ')} is named by a rule: the proof needs two that are not`);
  for (const p of unnamed) ports.add(p);
  return [...ports].sort((a, b) => a - b);
}

/** The kinds of probe each pair is tried with: 'icmp', then 'tcp/PORT' for every probed port. */
export function probeKinds(t: Topology): string[] {
  return ['icmp', ...probePorts(t).map((p) => `tcp/${p}`)];
}

/** Does this matrix entry let a sender start this kind of probe ('icmp' or 'tcp/PORT')? */
export function entryAllows(e: MatrixEntry, probe: string): boolean {
  if (e.connection === 'open') return true;
  if (e.connection === 'closed') return false;
  const [proto, port] = probe === 'icmp' ? ['icmp', undefined] : ['tcp', Number(probe.slice(4))];
  return e.allow.some((r) => r.proto === proto && (r.port === undefined || r.port === port));
}

export function reachProbes(t: Topology): ReachProbe[] {
  const m = flowMatrix(t);
  const kinds = probeKinds(t);
  const nics = Object.entries(t.vms ?? {})
    .filter(([, v]) => v.start)
    .flatMap(([vm, v]) => v.nics.filter((n) => n.ip).map((n) => ({ vm, tvd: n.tvd, ip: n.ip! })))
    .sort((a, b) => (a.vm < b.vm ? -1 : a.vm > b.vm ? 1 : 0));
  const out: ReachProbe[] = [];
  for (const a of nics) {
    for (const b of nics) {
      if (a.vm === b.vm) continue;
      const e = m.get(a.tvd, b.tvd);
      const base = { from: a.vm, to: b.vm, toIp: b.ip, fromTvd: a.tvd, toTvd: b.tvd };
      for (const probe of kinds) out.push({ ...base, probe, expected: entryAllows(e, probe) });
    }
  }
  return out;
}

/** The ports each VM must listen on so that TCP probes can be answered. */
export function listenPorts(probes: ReachProbe[]): number[] {
  return [...new Set(probes.filter((p) => p.probe.startsWith('tcp/')).map((p) => Number(p.probe.slice(4))))].sort((a, b) => a - b);
}
