// The plan: a plain, serialisable object (the body of `plan --json` and of a saved plan).
import type { ResourceType } from './address.js';

export type ActionKind = 'create' | 'update' | 'delete' | 'replace';

export interface PlannedAction {
  action: ActionKind;
  host: string;
  resource: { type: ResourceType; name: string };
  before: unknown | null;
  after: unknown | null;
  /** For update and replace: the attributes that differ. */
  changed?: string[];
  /** Why, when it is not the topology: e.g. "changed outside of tvd". */
  reason?: string;
}

/** Something the planner refuses: it names the TVD, the hosts and what is missing. */
export interface PlanError {
  code: string;
  message: string;
  tvd?: string;
  host?: string;
}

export interface Plan {
  formatVersion: 1;
  topologyDigest: string;
  stateSerial: number;
  stateLineage: string | null;
  actions: PlannedAction[];
  summary: Record<ActionKind, number>;
  errors: PlanError[];
  warnings: string[];
}
