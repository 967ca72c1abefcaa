// The plan: a plain, serialisable object (the body of `plan --json` and of a saved plan).
// It says what and why as data (codes, attribute names, evidence); the English is the
// renderer's (src/cli/plan-text/), as Terraform's plan JSON carries an ActionReason.
import type { ResourceType } from '../address/address.js';
import type { HostEvidence } from './mechanisms.js';
import type { Encapsulation } from '../topology/schema.js';

export type ActionKind = 'create' | 'update' | 'delete' | 'replace';

/**
 * Why an action is what it is, when the topology alone does not say:
 * - `tainted`: replace, since an earlier apply failed part-way through it;
 * - `gone`: create, since the host lost what the state records (changed outside of tvd);
 * - `drifted`: update, since the host differs from the state (changed outside of tvd);
 * - `adopted`: update, since the host recorded it and the state did not (an apply was cut off);
 * - `cannot-update`: replace, since an attribute in `forcesReplacement` cannot change in place;
 * - `boot-config`: replace, since a running VM reads what changed only when it boots;
 * - `live-nics`: update (`tvd join`/`leave`): the NIC is attached or detached while the VM runs,
 *   the rest of its new config takes effect when it next starts.
 */
export type ActionReason = 'tainted' | 'gone' | 'drifted' | 'adopted' | 'cannot-update' | 'boot-config' | 'live-nics';

export interface PlannedAction {
  action: ActionKind;
  host: string;
  resource: { type: ResourceType; name: string };
  before: unknown | null;
  after: unknown | null;
  /** For update and replace: the attributes that differ. */
  changed?: string[];
  reason?: ActionReason;
  /** For a replace: the changed attributes that cannot change in place. */
  forcesReplacement?: string[];
  /** What refresh observed on the host, when it drifted (from the observation, as found). */
  drift?: string;
  /** What happens to a VM's running domain: started, stopped, restarted (destroyed, created). */
  domain?: 'start' | 'stop' | 'restart';
}

/** Something the planner refuses: it names the TVD, the hosts and what is missing. */
export interface PlanError {
  code: string;
  message: string;
  tvd?: string;
  host?: string;
  /** For a topology error: where it is (`tvd validate --json`'s fields). */
  file?: string;
  line?: number;
  col?: number;
  path?: string;
}

/**
 * The kind of a warning. `mtu` and `flows` (information can pass a closed pair through others)
 * follow from the topology and the hosts' uplinks: they repeat on every plan until the topology
 * changes. `membership`, `mac-taken` and `bridge-netfilter` (a Dom0 whose firewall drops bridged
 * frames) are about the hosts and the state now.
 */
export type WarningCode = 'mtu' | 'flows' | 'membership' | 'mac-taken' | 'bridge-netfilter';

export interface PlanWarning {
  code: WarningCode;
  message: string;
}

/** How one TVD crosses between its hosts, and the evidence each pair's choice was made from. */
export interface TvdCrossings {
  tvd: string;
  encapsulation: Encapsulation;
  /** The 802.1Q id, when a pair uses a VLAN. */
  vlan?: number;
  /** The encapsulation id, when a pair is encapsulated. */
  vni?: number;
  hosts: HostEvidence[];
  /** tvds.<name>.confidentiality is required: every pair is VXLAN inside WireGuard. */
  confidential?: true;
  pairs: { hosts: [string, string]; mechanism: 'dedicated' | 'vlan' | 'encap' | 'wireguard' | 'none' }[];
}

/** A host a plan did not read and so changes nothing on (`--skip-unreachable`). */
export interface SkippedHost {
  host: string;
  /** Why it could not be read, as the connection said. */
  reason: string;
  /** The resources the state records on it: kept as they are. */
  resources: number;
}

/**
 * What a partial plan covers (`--target`, `--limit`, `--skip-unreachable`): applying it changes
 * only that part, so the hosts may still differ from the topology afterwards.
 */
export interface PartialPlan {
  /** `--target` as given: addresses or prefixes (`h1`, `h1/vm`, `h1/vm/web`). */
  targets: string[];
  /** `--limit` as given: the only hosts read and changed. */
  limit: string[];
  skipped: SkippedHost[];
  /** Actions of the whole plan that this one leaves out (on the hosts it did read, or from the state's record of the others). */
  omitted: number;
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
  /** The kind of each warning, by position (absent from plans saved by older versions). */
  warningCodes?: WarningCode[];
  /** Per TVD that spans hosts (absent from plans saved by older versions). */
  crossings?: TvdCrossings[];
  /** Present only when the plan is partial. */
  partial?: PartialPlan;
}
