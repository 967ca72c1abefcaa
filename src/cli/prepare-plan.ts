// The shared front half of plan, apply, destroy and verify: load the topology, read the state,
// get the capability models (files or SSH) and the hosts' manifests, and build the plan.
import type { Capabilities } from '../capabilities/schema.js';
import type { Topology } from '../topology/schema.js';
import type { State } from '../state/state.js';
import type { Drift } from '../plan/diff.js';
import { loadTopology } from '../topology/load.js';
import { UserError } from '../topology/diagnostic.js';
import type { StateBackend } from '../state/backend.js';
import { readCapabilityFiles } from '../capabilities/read-files.js';
import { buildPlan, type PlanResult } from '../plan/build-plan.js';
import { wireguardKeyNeeds } from '../plan/wireguard.js';
import { proxyHookDigest } from '../apply/render/proxy.js';
import { ConnectionPool } from '../apply/connection-pool.js';
import { addressKey } from '../plan/address.js';
import type { HostReading } from '../apply/read-hosts.js';
import type { Finding } from '../verify/finding.js';
import type { ConnectOptions } from '../ssh/session.js';
import type { RefreshEvent } from './progress-refresh.js';

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

export async function preparePlan(file: string, o: PrepareOptions, state?: State): Promise<Prepared> {
  const { topology, digest } = o.loaded ?? loadOrThrow(file);
  if (!state && !o.backend) throw new Error('preparePlan needs the state or its backend');
  const st = state ?? (await o.backend!.read());
  const pool = new ConnectionPool(topology, o.connect);
  const hosts = hostsInPlay(topology, st);
  const missing = st.resources.map((r) => r.host).filter((h) => !topology.hosts?.[h]);
  if (missing.length) {
    throw new UserError(`the state has resources on ${[...new Set(missing)].join(', ')}, which the topology no longer names; keep the host in the file until its resources are gone`);
  }
  const probeOverSsh = !o.capabilitiesDir && !o.destroy;
  let capabilities: Record<string, Capabilities> = {};
  if (o.capabilitiesDir) capabilities = readCapabilityFiles(o.capabilitiesDir, Object.keys(topology.hosts ?? {}).sort());
  let readings: HostReading[] = [];
  let planState: State = st;
  let drift: Drift[] = [];
  let findings: Finding[] = [];
  if (probeOverSsh || o.refresh) {
    // Only a refresh needs these: a plan from capability files and the state never loads them.
    const { readHosts } = await import('../apply/read-hosts.js');
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
    const [{ adoptionDrift, orphanAddresses, readOrphans }, { driftFromReadings }] = await Promise.all([import('../apply/orphans.js'), import('../apply/drift.js')]);
    readings = await reading;
    const failed = readings.filter((r) => r.error);
    if (failed.length) {
      await pool.closeAll();
      throw new UserError(failed.map((r) => r.error).join('\n') + '\nNothing was changed.');
    }
    for (const r of readings) if (r.capabilities) capabilities[r.host] = r.capabilities;
    // Records the hosts hold and the state lacks join the state we plan from, so that the plan
    // shows them and apply keeps or removes them.
    const orphans = orphanAddresses(st, readings);
    const adopted = (await Promise.all([...orphans].map(async ([h, addrs]) => readOrphans(await pool.connect(h), addrs, o.hostLockWait)))).flat();
    if (adopted.length) planState = { ...st, resources: [...st.resources, ...adopted] };
    const found = driftFromReadings(planState, readings);
    drift = [...found.drift.filter((d) => !adopted.some((a) => addressKey(a) === d.address)), ...adoptionDrift(adopted)];
    findings = found.findings;
  }
  const result = buildPlan({
    topology,
    topologyDigest: digest,
    capabilities,
    state: planState,
    hookDigest: proxyHookDigest(),
    drift,
    destroy: o.destroy,
  });
  return { ...result, topology, digest, state: planState, pool, capabilities, readings, drift, findings };
}
