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

export function reachProbes(t: Topology): ReachProbe[] {
  const m = flowMatrix(t);
  const ports = new Set<number>([FORBIDDEN_PORT]);
  for (const f of t.flows ?? []) for (const r of f.allow ?? []) if (r.proto === 'tcp' && r.port) ports.add(r.port);
  const tcpPorts = [...ports].sort((a, b) => a - b);
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
