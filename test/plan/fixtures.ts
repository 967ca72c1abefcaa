// Hand-made topologies and capability models for pure planner tests.
import type { Capabilities } from '../../src/capabilities/schema.js';
import type { Topology } from '../../src/topology/schema.js';
import type { State } from '../../src/state/state.js';
import { emptyAllocations } from '../../src/state/state.js';

export function caps(
  host: string,
  address: string,
  over: Partial<Capabilities['mechanisms']> = {},
  extra: Partial<Capabilities> = {},
): Capabilities {
  const mechanisms = { bridge: true, vlan: false, vxlan: true, gretap: false, etherip: false, nftables: true, ...over };
  return {
    host,
    collectedAt: '2026-01-01T00:00:00Z',
    functional: mechanisms.vlan ? ['vlan', 'ethernet', 'ip'] : ['ethernet', 'ip'],
    mechanisms,
    uplinks: { eth0: { mtu: 1500, address } },
    xen: { version: '4.17', toolstack: 'xl' },
    properties: { 'hypervisor-integrity': { value: 'sha256:00', evidence: 'mutable-log' } },
    ...extra,
  };
}

export function emptyState(): State {
  return { formatVersion: 1, lineage: 'test-lineage', serial: 0, resources: [], allocations: emptyAllocations() };
}

/** The conformance check's topology: web -> db controlled on tcp/5432, over two hosts. */
export function webDb(): Topology {
  return {
    version: 1,
    tvds: { web: { subnet: '198.19.40.0/24' }, db: { subnet: '198.19.41.0/24' } },
    flows: [{ from: 'web', to: 'db', connection: 'controlled', allow: [{ proto: 'tcp', port: 5432 }] }],
    hosts: {
      'node-1': { address: '198.18.9.11', uplink: 'eth0', segment: 'a' },
      'node-2': { address: '198.18.9.12', uplink: 'eth0', segment: 'a' },
    },
    vms: {
      w1: { host: 'node-1', memory: 128, nics: [{ tvd: 'web', ip: '198.19.40.10' }] },
      w2: { host: 'node-2', memory: 128, nics: [{ tvd: 'web', ip: '198.19.40.11' }] },
      d1: { host: 'node-2', memory: 128, nics: [{ tvd: 'db', ip: '198.19.41.10' }] },
    },
  };
}

export function webDbCaps(over: Partial<Capabilities['mechanisms']> = {}): Record<string, Capabilities> {
  return { 'node-1': caps('node-1', '198.18.9.11', over), 'node-2': caps('node-2', '198.18.9.12', over) };
}

/**
 * The first two names `${prefix}${i}` whose hash lands on one value (by the birthday bound a
 * few thousand tries for 2^23 values), the smaller name first.
 */
export function firstClash(prefix: string, hash: (name: string) => number): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const name = `${prefix}${i}`;
    const other = seen.get(hash(name));
    if (other !== undefined) return [other, name].sort() as [string, string];
    seen.set(hash(name), name);
  }
}

/** The state a successful apply of these resources records. */
export function stateOf(
  resources: { address: { host: string; type: State['resources'][number]['type']; name: string }; attrs: unknown }[],
  serial = 1,
): State {
  return { ...emptyState(), serial, resources: resources.map((r) => ({ ...r.address, attrs: r.attrs, status: 'applied' as const })) };
}
