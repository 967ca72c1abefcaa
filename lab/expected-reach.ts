// What the flow matrix says one VM may start towards another: the oracle of the traffic tests.
import type { Topology } from '../src/topology/schema.js';
import { flowMatrix } from '../src/plan/flow-matrix.js';

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
  if (unnamed.length < 2) throw new Error(`every port of ${UNNAMED_CANDIDATES.join(', ')} is named by a rule: the proof needs two that are not`);
  for (const p of unnamed) ports.add(p);
  return [...ports].sort((a, b) => a - b);
}

export function reachProbes(t: Topology): ReachProbe[] {
  const m = flowMatrix(t);
  const tcpPorts = probePorts(t);
  const nics = Object.entries(t.vms ?? {})
    .filter(([, v]) => v.start)
    .flatMap(([vm, v]) => v.nics.filter((n) => n.ip).map((n) => ({ vm, tvd: n.tvd, ip: n.ip! })))
    .sort((a, b) => (a.vm < b.vm ? -1 : a.vm > b.vm ? 1 : 0));
  const out: ReachProbe[] = [];
  for (const a of nics) {
    for (const b of nics) {
      if (a.vm === b.vm) continue;
      const e = m.get(a.tvd, b.tvd);
      const allows = (proto: string, port?: number) =>
        e.connection === 'open' ||
        (e.connection === 'controlled' && e.allow.some((r) => r.proto === proto && (r.port === undefined || r.port === port)));
      const base = { from: a.vm, to: b.vm, toIp: b.ip, fromTvd: a.tvd, toTvd: b.tvd };
      out.push({ ...base, probe: 'icmp', expected: allows('icmp') });
      for (const p of tcpPorts) out.push({ ...base, probe: `tcp/${p}`, expected: allows('tcp', p) });
    }
  }
  return out;
}

/** The ports each VM must listen on so that TCP probes can be answered. */
export function listenPorts(probes: ReachProbe[]): number[] {
  return [...new Set(probes.filter((p) => p.probe.startsWith('tcp/')).map((p) => Number(p.probe.slice(4))))].sort((a, b) => a - b);
}
