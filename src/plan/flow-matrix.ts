// The information-flow control matrix: for each ordered pair of TVDs, what may pass.
import type { AllowRule, Topology } from '../topology/schema.js';

export type Connection = 'open' | 'closed' | 'controlled';

export interface MatrixEntry {
  connection: Connection;
  /** For controlled entries: what the sender may start towards the recipient. */
  allow: AllowRule[];
}

export interface FlowMatrix {
  tvds: string[];
  /** Entry for from -> to; the diagonal is open (inside a TVD communication is open). */
  get(from: string, to: string): MatrixEntry;
}

const OPEN: MatrixEntry = { connection: 'open', allow: [] };
const CLOSED: MatrixEntry = { connection: 'closed', allow: [] };

export function flowMatrix(topology: Topology): FlowMatrix {
  const tvds = Object.keys(topology.tvds).sort();
  const fallback = topology.defaults?.flow === 'open' ? OPEN : CLOSED;
  const entries = new Map<string, MatrixEntry>();
  const set = (a: string, b: string, e: MatrixEntry) => entries.set(`${a}\u0000${b}`, e);
  for (const f of topology.flows ?? []) {
    const entry: MatrixEntry = { connection: f.connection, allow: f.connection === 'controlled' ? (f.allow ?? []) : [] };
    if (f.between) {
      set(f.between[0], f.between[1], entry);
      set(f.between[1], f.between[0], entry);
    } else if (f.from && f.to) {
      set(f.from, f.to, entry);
    }
  }
  return {
    tvds,
    get(from, to) {
      if (from === to) return OPEN;
      return entries.get(`${from}\u0000${to}`) ?? fallback;
    },
  };
}

/** Two TVDs are connected (their firewalls get a transit link) unless both directions are closed. */
export function connected(m: FlowMatrix, a: string, b: string): boolean {
  return a !== b && (m.get(a, b).connection !== 'closed' || m.get(b, a).connection !== 'closed');
}

export function ruleKey(r: AllowRule): string {
  return r.port === undefined ? r.proto : `${r.proto}/${r.port}`;
}
