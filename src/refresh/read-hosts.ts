// Refresh: one round trip per host reads its capability model and what is on it: one script on
// one channel (src/refresh/refresh-script.ts), the capability probe and then the observation
// (src/refresh/observe-script.ts), which prints the host's manifest and what is live there:
// verify and plan's drift detection read it. Hosts are read in parallel; a host that fails is
// reported, the others complete.
import type { Capabilities } from '../capabilities/schema.js';
import type { ExecResult, HostConnection } from '../ssh/session.js';
import { mapBounded } from '../ssh/bounded-parallel.js';
import { PROBE_COMMAND, PROBE_INPUT } from '../capabilities/probe-script.js';
import { parseProbe } from '../capabilities/parse-probe.js';
import type { Manifest } from './manifest.js';
import { OBSERVE_COMMAND, OBSERVE_SCRIPT } from './observe-script.js';
import { parseInventory, type Inventory } from './inventory.js';
import { REFRESH_COMMAND, REFRESH_SCRIPT, splitRefreshOutput } from './refresh-script.js';
import { splitWireguardKey, wireguardKeyScript } from '../apply/render/wireguard-key.js';
import { HostError } from '../ssh/host-error.js';
import { busyHolder, busyMessage, DEFAULT_HOST_LOCK_WAIT_S, sharedLockScript } from '../host/host-lock.js';
import { sh, type Sh } from '../shell/quote.js';

export interface HostReading {
  host: string;
  capabilities?: Capabilities;
  manifest?: Manifest;
  /** What is live on the host (with `observe`). */
  inventory?: Inventory;
  error?: string;
  /** With error: the host could not be talked to (no connection, or it was lost), not a host-key refusal. */
  unreachable?: boolean;
}

export interface ReadOptions {
  /** How long each script waits for the host lock (src/host/host-lock.ts). */
  hostLockWait?: number;
  probe: boolean;
  /** Run the observation script (it carries the manifest too). */
  observe: boolean;
  parallelism: number;
  /** Hosts whose WireGuard key the plan needs, with its generation: the probe makes it on first need and reads its public key. */
  wireguardKeys?: Record<string, number>;
  now: () => string;
  /** Told each host's reading as soon as it is there (progress). */
  onRead?: (r: HostReading) => void;
}

/** What the host printed: the probe's lines, the observation's, and the observation's exit; or who kept it busy. */
interface Printed {
  probe?: string;
  observe?: ExecResult;
  busy?: string;
}

async function runScripts(conn: HostConnection, host: string, o: Omit<ReadOptions, 'parallelism'>): Promise<Printed> {
  // Each script waits for a bundle that is changing the host (its own or an abandoned one).
  const generation = o.wireguardKeys?.[host];
  const key = o.probe && generation !== undefined ? wireguardKeyScript(generation) : sh``;
  const locked = (script: Sh) => sh`${sharedLockScript({ waitSeconds: o.hostLockWait ?? DEFAULT_HOST_LOCK_WAIT_S })}${key}${script}`;
  const run = async (command: Sh, script: Sh) => {
    const r = await conn.exec(command, { stdin: locked(script) });
    return { r, busy: busyHolder(r.stdout) };
  };
  if (o.probe && o.observe) {
    const { r, busy } = await run(REFRESH_COMMAND, REFRESH_SCRIPT);
    if (busy !== undefined) return { busy };
    const out = splitRefreshOutput(r.stdout);
    return { probe: out.probe, observe: { ...r, stdout: out.observe } };
  }
  if (o.probe) {
    const { r, busy } = await run(PROBE_COMMAND, PROBE_INPUT);
    return busy !== undefined ? { busy } : { probe: r.stdout };
  }
  if (o.observe) {
    const { r, busy } = await run(OBSERVE_COMMAND, OBSERVE_SCRIPT);
    return busy !== undefined ? { busy } : { observe: r };
  }
  return {};
}

export async function readHost(conn: HostConnection, host: string, o: Omit<ReadOptions, 'parallelism'>): Promise<HostReading> {
  const printed = await runScripts(conn, host, o);
  if (printed.busy !== undefined) return { host, error: `host ${host}: ${busyMessage(printed.busy, o.hostLockWait)}` };
  const reading: HostReading = { host };
  if (printed.probe !== undefined) {
    const { key, rest } = splitWireguardKey(printed.probe);
    const p = parseProbe(host, rest, o.now());
    if (!p.ok) return { host, error: `host ${host}: capability probe failed: ${p.error}` };
    reading.capabilities = key ? { ...p.capabilities, wireguardKey: key } : p.capabilities;
  }
  const observed = printed.observe;
  if (observed) {
    const inv = parseInventory(observed.stdout);
    if (!inv.ok || !inv.inventory.manifest) {
      return {
        host,
        error: `host ${host}: could not observe it (${inv.ok ? 'no manifest' : inv.error}; ${observed.stderr.trim().slice(0, 200) || `exit ${observed.code}`})`,
      };
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
      const keyRefused = err instanceof HostError && err.hostKeyRefused;
      reading = { host, error: err instanceof Error ? err.message : String(err), ...(keyRefused ? {} : { unreachable: true }) };
    }
    o.onRead?.(reading);
    return reading;
  });
}
