// Probes of `verify --probe` that a run left behind (its host lost the connection before the
// holder could remove them, a kill -9 of its sshd): the refresh of every plan, apply, destroy
// and verify sweeps them from the hosts whose observation shows one, unless a probe run holds
// the host's probe lock (then they are that run's, live). Best effort: a host that cannot be
// swept keeps them until the next refresh, and they are never reported as foreign ports.
import type { HostReading } from './read-hosts.js';
import type { HostConnection } from '../ssh/session.js';
import { sweepScript, parseRemoved } from './probe-sweep.js';
import { DEFAULT_HOST_LOCK_WAIT_S } from '../host/host-lock.js';
import { sh } from '../shell/quote.js';

export interface RemovedProbes {
  host: string;
  names: string[];
}

/** The hosts whose observation shows a probe. Pure. */
export function hostsWithProbes(readings: HostReading[]): string[] {
  return readings.filter((r) => (r.inventory?.probes?.length ?? 0) > 0).map((r) => r.host);
}

export async function sweepProbes(
  hosts: string[],
  connect: (h: string) => Promise<HostConnection>,
  hostLockWait = DEFAULT_HOST_LOCK_WAIT_S,
): Promise<RemovedProbes[]> {
  const out = await Promise.all(
    hosts.map(async (host) => {
      try {
        const r = await (await connect(host)).exec(sh`sh -s`, { stdin: sweepScript(hostLockWait) });
        return { host, names: parseRemoved(r.stdout) };
      } catch {
        return { host, names: [] };
      }
    }),
  );
  return out.filter((x) => x.names.length > 0);
}
