// A TVD firewall's rules: the outbound part of each entry where its TVD sends, and the inbound
// part of each entry where it receives (the paper splits P_ab this way).
import type { FirewallRule } from './resources.js';
import type { FlowMatrix, MatrixEntry } from './flow-matrix.js';

function partOf(entry: MatrixEntry, direction: FirewallRule['direction'], peer: string): FirewallRule[] {
  if (entry.connection === 'open') return [{ direction, peer }];
  if (entry.connection === 'closed') return [];
  return entry.allow.map((r) => ({ direction, peer, proto: r.proto, ...(r.port !== undefined ? { port: r.port } : {}) }));
}

/** peers: the TVDs this TVD's firewall has a transit link to, sorted. */
export function firewallRules(matrix: FlowMatrix, tvd: string, peers: string[]): FirewallRule[] {
  const rules: FirewallRule[] = [];
  for (const peer of peers) {
    rules.push(...partOf(matrix.get(tvd, peer), 'outbound', peer));
    rules.push(...partOf(matrix.get(peer, tvd), 'inbound', peer));
  }
  return rules;
}
