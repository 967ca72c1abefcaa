// What `tvd` recorded as deployed: resources by address, with serial and lineage as Terraform has.
import type { ResourceType } from '../address/address.js';
import type { Capabilities } from '../capabilities/schema.js';

export interface StateResource {
  host: string;
  type: ResourceType;
  name: string;
  attrs: unknown;
  /** tainted: an action on it failed part-way; the next apply replaces it. */
  status: 'applied' | 'tainted';
}

/** Ids handed out once and kept, so that adding a TVD never renumbers the others. */
export interface Allocations {
  tvdIds: Record<string, number>;
  vlans: Record<string, number>;
  transits: Record<string, number>;
  /** host -> its inner WireGuard address's offset in defaults.wireguard (absent from older states). */
  wireguard?: Record<string, number>;
}

export interface State {
  formatVersion: 1;
  lineage: string;
  serial: number;
  resources: StateResource[];
  allocations: Allocations;
  /**
   * Each host's capability model when an apply last changed something (absent from older
   * states): what a plan uses for a host it does not read (--limit, --skip-unreachable).
   */
  capabilities?: Record<string, Capabilities>;
}

export function emptyAllocations(): Allocations {
  return { tvdIds: {}, vlans: {}, transits: {} };
}
