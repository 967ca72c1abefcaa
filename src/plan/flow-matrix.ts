// The information-flow control matrix: for each ordered pair of TVDs, what may pass.
import type { AllowRule, Topology } from '../topology/schema.js';
import { getOrAdd } from './internal.js';

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
  /** What every pair off the diagonal that no flow names gets (`defaults.flow`). */
  fallback: Connection;
  /** The TVDs that a flow names as recipients of `from`: only those entries of its row can differ from `fallback`. */
  named(from: string): readonly string[];
}

const OPEN: MatrixEntry = { connection: 'open', allow: [] };
const CLOSED: MatrixEntry = { connection: 'closed', allow: [] };

export function flowMatrix(topology: Topology): FlowMatrix {
  const tvds = Object.keys(topology.tvds).sort();
  const fallback = topology.defaults?.flow === 'open' ? OPEN : CLOSED;
  const entries = new Map<string, MatrixEntry>();
  const rows = new Map<string, Set<string>>();
  const set = (a: string, b: string, e: MatrixEntry) => {
    entries.set(`${a}\u0000${b}`, e);
    getOrAdd(rows, a, () => new Set()).add(b);
  };
  const namedOf = new Map<string, readonly string[]>();
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
    fallback: fallback.connection,
    get(from, to) {
      if (from === to) return OPEN;
      return entries.get(`${from}\u0000${to}`) ?? fallback;
    },
    named(from) {
      let n = namedOf.get(from);
      if (!n) namedOf.set(from, (n = [...(rows.get(from) ?? [])]));
      return n;
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
