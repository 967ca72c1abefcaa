// The SSH targets of a topology's hosts. Port and user stay unset when the topology leaves them
// out, so that ~/.ssh/config can supply them (defaults 22 and root are applied after it).
import type { Topology } from '../topology/schema.js';
import type { HostTarget } from './config.js';

export function hostTargets(topology: Topology): HostTarget[] {
  return Object.entries(topology.hosts ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, h]) => ({ name, address: h.address, port: h.port, user: h.user }));
}
