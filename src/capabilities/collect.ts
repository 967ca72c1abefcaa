// Probing hosts over SSH: one connection and one round trip per host, many hosts in parallel.
// A host that cannot be reached or probed is a result with its error; the others still complete.
import { DEFAULT_HOST_PARALLELISM, mapBounded } from '../ssh/bounded-parallel.js';
import { HostError } from '../ssh/host-error.js';
import { connectHost, type ConnectOptions, type HostConnection } from '../ssh/session.js';
import type { HostTarget } from '../ssh/config.js';
import { parseProbe } from './parse-probe.js';
import { PROBE_COMMAND, PROBE_INPUT } from './probe-script.js';
import { shJoin } from '../shell/quote.js';
import type { Capabilities } from './schema.js';
import { capabilitiesProblems } from './validate.js';
import { busyHolder, busyMessage, DEFAULT_HOST_LOCK_WAIT_S, sharedLockScript } from '../host/host-lock.js';

export type HostProbe = { host: string; ok: true; capabilities: Capabilities } | { host: string; ok: false; error: string };

const PROBE_TIMEOUT_MS = 120_000;

/** RFC 3339 to the second, as in the spec's examples. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Probe over an open connection. Throws a HostError when the probe fails or its output is unusable. */
export async function probeHost(
  conn: HostConnection,
  now: () => Date = () => new Date(),
  hostLockWait = DEFAULT_HOST_LOCK_WAIT_S,
): Promise<Capabilities> {
  const collectedAt = timestamp(now());
  const r = await conn.exec(PROBE_COMMAND, {
    stdin: shJoin([sharedLockScript({ waitSeconds: hostLockWait }), PROBE_INPUT], ''),
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  const busy = busyHolder(r.stdout);
  if (busy !== undefined) throw new HostError(conn.host, conn.endpoint, busyMessage(busy, hostLockWait));
  if (r.code !== 0) {
    const why = r.stderr.trim().split('\n').slice(-1)[0] || (r.signal ? `killed by ${r.signal}` : `exit status ${r.code}`);
    throw new HostError(conn.host, conn.endpoint, `the capability probe failed: ${why}`);
  }
  const parsed = parseProbe(conn.host, r.stdout, collectedAt);
  if (!parsed.ok) throw new HostError(conn.host, conn.endpoint, parsed.error);
  const problems = capabilitiesProblems(parsed.capabilities);
  if (problems.length) throw new HostError(conn.host, conn.endpoint, `the probe gave an invalid capability model: ${problems.join('; ')}`);
  return parsed.capabilities;
}

export interface CollectOptions {
  parallelism?: number;
  /** How long the probe waits for the host lock. */
  hostLockWait?: number;
  now?: () => Date;
  /** Called as each host finishes, for progress output. */
  onResult?: (result: HostProbe) => void;
}

export async function collectCapabilities(targets: HostTarget[], connect: ConnectOptions, opts: CollectOptions = {}): Promise<HostProbe[]> {
  return mapBounded(targets, opts.parallelism ?? DEFAULT_HOST_PARALLELISM, async (target) => {
    let result: HostProbe;
    try {
      const conn = await connectHost(target, connect);
      try {
        result = { host: target.name, ok: true, capabilities: await probeHost(conn, opts.now, opts.hostLockWait) };
      } finally {
        await conn.close();
      }
    } catch (err) {
      const message = err instanceof HostError ? err.message : `host ${target.name}: ${(err as Error).message}`;
      result = { host: target.name, ok: false, error: message };
    }
    opts.onResult?.(result);
    return result;
  });
}
