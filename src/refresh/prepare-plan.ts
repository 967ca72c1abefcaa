// The shared front half of plan, apply, destroy and verify: load the topology, read the state,
// get the capability models (files or SSH) and the hosts' manifests, and build the plan.
import type { Capabilities } from '../capabilities/schema.js';
import type { Topology } from '../topology/schema.js';
import type { State } from '../state/state.js';
import type { Drift } from '../plan/diff.js';
import { loadTopology } from '../topology/load.js';
import { UserError } from '../errors/user-error.js';
import type { StateBackend } from '../state/backend.js';
import { readCapabilityFiles } from '../capabilities/read-files.js';
import { buildPlan, summarize, type PlanResult } from '../plan/build-plan.js';
import { wireguardKeyNeeds } from '../plan/wireguard.js';
import { selectActions } from '../plan/target.js';
import type { PartialPlan } from '../plan/plan.js';
import { proxyHookDigest } from '../apply/render/proxy.js';
import { ConnectionPool } from '../ssh/connection-pool.js';
import { addressKey, parsePartialAddress, type PartialAddress } from '../address/address.js';
import type { HostReading } from './read-hosts.js';
import type { Finding } from './finding.js';
import type { ConnectOptions } from '../ssh/session.js';
import type { RemovedProbes } from './probe-leftovers.js';

/** What the refresh tells the CLI as hosts answer (src/cli/progress-refresh.ts shows it). */
export type RefreshEvent = { type: 'start'; hosts: string[] } | { type: 'host'; host: string; error?: string };

export interface PrepareOptions {
  /** Where the state is read from, unless the caller passes the state it read under its lock. */
  backend?: StateBackend;
  /** The topology, when the caller loaded it already (to choose the backend from it). */
  loaded?: Loaded;
  /** How long each host script waits for the host's lock. */
  hostLockWait?: number;
  capabilitiesDir?: string;
  refresh: boolean;
  destroy?: boolean;
  parallelism: number;
  connect: ConnectOptions;
  /** Progress of reading the hosts (src/cli/progress-refresh.ts). */
  onRefresh?: (e: RefreshEvent) => void;
  /** A partial plan (src/plan/target.ts): --target, --limit, --skip-unreachable. */
  scope?: ScopeOptions;
}

export interface ScopeOptions {
  targets?: string[];
  limit?: string[];
  skipUnreachable?: boolean;
}

export interface Prepared extends PlanResult {
  topology: Topology;
  digest: string;
  state: State;
  pool: ConnectionPool;
  capabilities: Record<string, Capabilities>;
  readings: HostReading[];
  drift: Drift[];
  /** What the observation of the hosts found (drift and foreign parts), when refreshed. */
  findings: Finding[];
  /** Probes of `verify --probe` left behind on hosts, removed by the refresh. */
  probesRemoved: RemovedProbes[];
}

export interface Loaded {
  topology: Topology;
  digest: string;
}

export function loadOrThrow(path: string): Loaded {
  const r = loadTopology(path);
  if (!r.ok) {
    const n = r.diagnostics.length;
    throw new UserError(`${n} ${n === 1 ? 'problem' : 'problems'} in the topology; nothing was changed.`, r.diagnostics);
  }
  return { topology: r.topology, digest: r.digest };
}

/** Hosts that matter: the topology's, plus any the state still has resources on. */
export function hostsInPlay(topology: Topology, state: State): string[] {
  return [...new Set([...Object.keys(topology.hosts ?? {}), ...state.resources.map((r) => r.host)])].sort();
}

/** --target and --limit checked against the hosts in play: a typo is an error, not an empty plan. */
function checkScope(scope: ScopeOptions, hosts: string[]): PartialAddress[] {
  const known = new Set(hosts);
  const problems: string[] = [];
  const targets: PartialAddress[] = [];
  for (const t of scope.targets ?? []) {
    const p = parsePartialAddress(t);
    if ('error' in p) problems.push(`--target ${p.error}`);
    else if (!known.has(p.host)) problems.push(`--target ${t}: no host ${p.host} in the topology or the state`);
    else targets.push(p);
  }
  for (const h of scope.limit ?? [])
    if (!known.has(h)) problems.push(`--limit ${h}: no host ${h} in the topology or the state (hosts: ${hosts.join(', ') || 'none'})`);
  if (problems.length) throw new UserError(problems.join('\n') + '\nNothing was changed.');
  return targets;
}

export async function preparePlan(file: string, o: PrepareOptions, state?: State): Promise<Prepared> {
  const { topology, digest } = o.loaded ?? loadOrThrow(file);
  if (!state && !o.backend) throw new Error('preparePlan needs the state or its backend');
  const st = state ?? (await o.backend!.read());
  const pool = new ConnectionPool(topology, o.connect);
  const scope = o.scope ?? {};
  const allHosts = hostsInPlay(topology, st);
  const targets = checkScope(scope, allHosts);
  const limit = scope.limit?.length ? new Set(scope.limit) : undefined;
  // With --limit, the other hosts are not read: what the state records of them stands.
  const hosts = limit ? allHosts.filter((h) => limit.has(h)) : allHosts;
  const missing = st.resources.map((r) => r.host).filter((h) => !topology.hosts?.[h] && (!limit || limit.has(h)));
  if (missing.length) {
    const gone = [...new Set(missing)];
    throw new UserError(
      `the state has resources on ${gone.join(', ')}, which the topology no longer names. Either keep the host in the file until \`tvd destroy\` or \`tvd apply\` has removed them, ` +
        `or, if the host is gone for good, forget its records with \`tvd state rm ${gone[0]}\` (the host is not touched), or plan the other hosts alone with --limit`,
    );
  }
  const probeOverSsh = !o.capabilitiesDir && !o.destroy;
  let capabilities: Record<string, Capabilities> = {};
  if (o.capabilitiesDir) capabilities = readCapabilityFiles(o.capabilitiesDir, Object.keys(topology.hosts ?? {}).sort());
  let skipped: HostReading[] = [];
  let readings: HostReading[] = [];
  let planState: State = st;
  let drift: Drift[] = [];
  let findings: Finding[] = [];
  let probesRemoved: RemovedProbes[] = [];
  if (probeOverSsh || o.refresh) {
    // Only a refresh needs these: a plan from capability files and the state never loads them.
    const { readHosts } = await import('./read-hosts.js');
    o.onRefresh?.({ type: 'start', hosts });
    const reading = readHosts(hosts, (h) => pool.connect(h), {
      onRead: (r) => o.onRefresh?.({ type: 'host', host: r.host, error: r.error }),
      probe: probeOverSsh,
      observe: o.refresh,
      parallelism: o.parallelism,
      hostLockWait: o.hostLockWait,
      wireguardKeys: probeOverSsh ? wireguardKeyNeeds(topology) : undefined,
      now: () => new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    });
    // Loaded while the hosts answer.
    const [{ adoptionDrift, orphanAddresses, readOrphans }, { driftFromReadings }, { hostsWithProbes, sweepProbes }] = await Promise.all([
      import('./orphans.js'),
      import('./drift.js'),
      import('./probe-leftovers.js'),
    ]);
    readings = await reading;
    const failed = readings.filter((r) => r.error);
    skipped = scope.skipUnreachable ? failed.filter((r) => r.unreachable) : [];
    const fatal = failed.filter((r) => !skipped.includes(r));
    if (fatal.length) {
      await pool.closeAll();
      const wayOut = fatal.some((r) => r.unreachable)
        ? '\nTo plan the other hosts, keeping what the state records of an unreachable one: --skip-unreachable (or --limit HOST).'
        : '';
      throw new UserError(fatal.map((r) => r.error).join('\n') + '\nNothing was changed.' + wayOut);
    }
    readings = readings.filter((r) => !r.error);
    for (const r of readings) if (r.capabilities) capabilities[r.host] = r.capabilities;
    // Probes a `verify --probe` left behind go (never reported as foreign: compare.ts).
    const withProbes = hostsWithProbes(readings);
    if (withProbes.length) probesRemoved = await sweepProbes(withProbes, (h) => pool.connect(h), o.hostLockWait);
    // Records the hosts hold and the state lacks join the state we plan from, so that the plan
    // shows them and apply keeps or removes them.
    const orphans = orphanAddresses(st, readings);
    const adopted = (
      await Promise.all([...orphans].map(async ([h, addrs]) => readOrphans(await pool.connect(h), addrs, o.hostLockWait)))
    ).flat();
    if (adopted.length) planState = { ...st, resources: [...st.resources, ...adopted] };
    const found = driftFromReadings(planState, readings);
    drift = [...found.drift.filter((d) => !adopted.some((a) => addressKey(a) === d.address)), ...adoptionDrift(adopted)];
    findings = found.findings;
  }
  // Hosts not read plan from the capability model recorded at the last apply.
  const read = new Set(hosts); // a Set: hosts.includes per host was quadratic (0.1 s at 10,000 hosts)
  const frozen = new Set([...allHosts.filter((h) => !read.has(h)), ...skipped.map((r) => r.host)]);
  const unknown = [...frozen].filter((h) => topology.hosts?.[h] && !capabilities[h] && !st.capabilities?.[h] && !o.destroy);
  if (unknown.length) {
    await pool.closeAll();
    throw new UserError(
      `${unknown.map((h) => `host ${h} is not read (${skipped.some((r) => r.host === h) ? 'unreachable' : 'outside --limit'})`).join('; ')}, and the state holds no capability model of it ` +
        `(it is recorded by each apply since this version): give one with --capabilities DIR (DIR/${unknown[0]}.json, from \`tvd capabilities\`)`,
    );
  }
  for (const h of frozen) if (!capabilities[h] && st.capabilities?.[h]) capabilities[h] = st.capabilities[h];
  const result = buildPlan({
    topology,
    topologyDigest: digest,
    capabilities,
    state: planState,
    hookDigest: proxyHookDigest(),
    drift,
    destroy: o.destroy,
  });
  const partial = targets.length > 0 || limit !== undefined || skipped.length > 0;
  if (partial) {
    const whole = result.plan.actions;
    const actions = selectActions(whole, { targets, hosts: limit, frozen });
    const left: PartialPlan = {
      targets: scope.targets ?? [],
      limit: scope.limit ?? [],
      skipped: skipped.map((r) => ({ host: r.host, reason: r.error!, resources: st.resources.filter((x) => x.host === r.host).length })),
      omitted: whole.length - actions.length,
    };
    result.plan = { ...result.plan, actions, summary: summarize(actions), partial: left };
  }
  return { ...result, topology, digest, state: planState, pool, capabilities, readings, drift, findings, probesRemoved };
}
