// The planner's front door: topology + capability models + recorded state -> Plan.
import type { Capabilities } from '../capabilities/schema.js';
import type { Topology } from '../topology/schema.js';
import type { State } from '../state/state.js';
import type { ActionKind, Plan, PlanWarning } from './plan.js';
import { buildDesired, type Desired } from './desired.js';
import { diffResources, type Drift } from './diff.js';
import { describeMismatch, proveReachability } from './reachability.js';
import { transitivityWarnings } from './transitivity.js';
import { flowMatrix } from './flow-matrix.js';
import { recordedMacs } from './mac-assignment.js';
import { recordedVifTags } from './vif-tags.js';
import { proveConfidentiality, recordedWireguardKeys } from './wireguard.js';
import { vmsByName } from './vms-by-name.js';

export interface PlanInput {
  topology: Topology;
  topologyDigest: string;
  capabilities: Record<string, Capabilities>;
  state: State;
  hookDigest: string;
  drift?: Drift[];
  /** destroy: plan towards nothing. */
  destroy?: boolean;
}

export interface PlanResult {
  plan: Plan;
  desired: Desired;
}

export function summarize(actions: Plan['actions']): Record<ActionKind, number> {
  const s: Record<ActionKind, number> = { create: 0, update: 0, delete: 0, replace: 0 };
  for (const a of actions) s[a.action]++;
  return s;
}

export function buildPlan(input: PlanInput): PlanResult {
  const vmList = vmsByName(input.topology);
  // Destroy needs no capability model: it plans towards nothing.
  const desired: Desired = input.destroy
    ? {
        resources: [],
        allocations: input.state.allocations,
        errors: [],
        warnings: [],
        isolated: [],
        matrix: flowMatrix(input.topology),
        crossings: [],
      }
    : buildDesired({
        topology: input.topology,
        capabilities: input.capabilities,
        allocations: input.state.allocations,
        hookDigest: input.hookDigest,
        priorFirewalls: Object.fromEntries(input.state.resources.filter((r) => r.type === 'firewall').map((r) => [r.name, r.host])),
        recordedMacs: recordedMacs(input.state.resources),
        recordedVifTags: recordedVifTags(input.state.resources),
        recordedWireguardKeys: recordedWireguardKeys(input.state.resources),
        vmList,
      });
  const errors = [...desired.errors];
  if (!input.destroy && errors.length === 0) {
    const segments = Object.fromEntries(Object.entries(input.topology.hosts ?? {}).map(([h, s]) => [h, s.segment]));
    for (const m of proveReachability({ resources: desired.resources, matrix: desired.matrix, segments, isolated: desired.isolated })) {
      errors.push({ code: 'static-proof', message: describeMismatch(m) });
    }
    for (const message of proveConfidentiality(input.topology, desired.resources)) errors.push({ code: 'static-proof', message });
  }
  const target = input.destroy ? [] : desired.resources;
  const actions = errors.length ? [] : diffResources(target, input.state.resources, input.drift);
  const warnings: PlanWarning[] = input.destroy
    ? []
    : [
        ...desired.warnings,
        ...transitivityWarnings(input.topology, desired.matrix, vmList).map((message) => ({ code: 'flows' as const, message })),
      ];
  return {
    desired,
    plan: {
      formatVersion: 1,
      topologyDigest: input.topologyDigest,
      stateSerial: input.state.serial,
      stateLineage: input.state.serial === 0 && input.state.resources.length === 0 ? null : input.state.lineage,
      actions,
      summary: summarize(actions),
      errors,
      warnings: warnings.map((w) => w.message),
      warningCodes: warnings.map((w) => w.code),
      crossings: desired.crossings,
    },
  };
}
