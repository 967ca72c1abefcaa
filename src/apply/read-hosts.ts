// Refresh: one round trip per host reads its capability model and what is on it: one script on
// one channel (src/apply/refresh-script.ts), the capability probe and then the observation
// (src/verify/observe-script.ts), which prints the host's manifest and what is live there:
// verify and plan's drift detection read it. Hosts are read in parallel; a host that fails is
// reported, the others complete.
import type { Capabilities } from '../capabilities/schema.js';
import type { ExecResult, HostConnection } from '../ssh/session.js';
import { mapBounded } from '../ssh/bounded-parallel.js';
import { PROBE_COMMAND, PROBE_INPUT } from '../capabilities/probe-script.js';
import { parseProbe } from '../capabilities/parse-probe.js';
import type { Manifest } from './manifest.js';
import { OBSERVE_COMMAND, OBSERVE_SCRIPT } from '../verify/observe-script.js';
import { parseInventory, type Inventory } from '../verify/inventory.js';
import { REFRESH_COMMAND, REFRESH_SCRIPT, splitRefreshOutput } from './refresh-script.js';

export interface HostReading {
  host: string;
  capabilities?: Capabilities;
  manifest?: Manifest;
  /** What is live on the host (with `observe`). */
  inventory?: Inventory;
  error?: string;
}

export interface ReadOptions {
  probe: boolean;
  /** Run the observation script (it carries the manifest too). */
  observe: boolean;
  parallelism: number;
  now: () => string;
  /** Told each host's reading as soon as it is there (progress). */
  onRead?: (r: HostReading) => void;
}

/** What the host printed: the probe's lines, the observation's, and the observation's exit. */
interface Printed {
  probe?: string;
  observe?: ExecResult;
}

async function runScripts(conn: HostConnection, o: Omit<ReadOptions, 'parallelism'>): Promise<Printed> {
  if (o.probe && o.observe) {
    const r = await conn.exec(REFRESH_COMMAND, { stdin: REFRESH_SCRIPT });
    const out = splitRefreshOutput(r.stdout);
    return { probe: out.probe, observe: { ...r, stdout: out.observe } };
  }
  if (o.probe) return { probe: (await conn.exec(PROBE_COMMAND, { stdin: PROBE_INPUT })).stdout };
  if (o.observe) return { observe: await conn.exec(OBSERVE_COMMAND, { stdin: OBSERVE_SCRIPT }) };
  return {};
}

export async function readHost(conn: HostConnection, host: string, o: Omit<ReadOptions, 'parallelism'>): Promise<HostReading> {
  const printed = await runScripts(conn, o);
  const reading: HostReading = { host };
  if (printed.probe !== undefined) {
    const p = parseProbe(host, printed.probe, o.now());
    if (!p.ok) return { host, error: `host ${host}: capability probe failed: ${p.error}` };
    reading.capabilities = p.capabilities;
  }
  const observed = printed.observe;
  if (observed) {
    const inv = parseInventory(observed.stdout);
    if (!inv.ok || !inv.inventory.manifest) {
      return { host, error: `host ${host}: could not observe it (${inv.ok ? 'no manifest' : inv.error}; ${observed.stderr.trim().slice(0, 200) || `exit ${observed.code}`})` };
    }
    reading.inventory = inv.inventory;
    reading.manifest = inv.inventory.manifest;
  }
  return reading;
}

export async function readHosts(hosts: string[], connect: (h: string) => Promise<HostConnection>, o: ReadOptions): Promise<HostReading[]> {
  return mapBounded(hosts, o.parallelism, async (host) => {
    let reading: HostReading;
    try {
      reading = await readHost(await connect(host), host, o);
    } catch (err) {
      reading = { host, error: err instanceof Error ? err.message : String(err) };
    }
    o.onRead?.(reading);
    return reading;
  });
}
