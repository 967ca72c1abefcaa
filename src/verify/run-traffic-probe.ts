// `tvd verify --probe`, the imperative shell: attach the probes of the plan (traffic-probe-plan.ts)
// with one holder per host, run each probe's checks over SSH, try again what should have got
// through and did not, and always let the holders go, which removes the probes (see
// traffic-probe-scripts.ts for why they go even when tvd cannot tell them to).
import type { Topology } from '../topology/schema.js';
import type { State } from '../state/state.js';
import type { ConnectOptions, ExecResult, HostConnection } from '../ssh/session.js';
import { ConnectionPool } from '../ssh/connection-pool.js';
import { mapBounded } from '../ssh/bounded-parallel.js';
import { HostError } from '../ssh/host-error.js';
import { UserError } from '../errors/user-error.js';
import { sh, shQuote } from '../shell/quote.js';
import { busyHolder, busyMessage, DEFAULT_HOST_LOCK_WAIT_S } from '../host/host-lock.js';
import { planProbes, type ProbeCheck, type ProbeEndpoint, type UnprobedPair } from './traffic-probe-plan.js';
import { checkScript, holderScript, parseCheckResults, probeFailure, targetsBySource, type CheckOutcome } from './traffic-probe-scripts.js';
import { parseRemoved } from '../refresh/probe-sweep.js';

export interface CheckResult extends ProbeCheck {
  outcome: CheckOutcome;
  /** Got through: ping answered, or a TCP connection made. */
  observed: boolean;
}

export interface ProbeReport {
  endpoints: ProbeEndpoint[];
  ports: number[];
  checks: CheckResult[];
  unprobed: UnprobedPair[];
  /** Probes an earlier run left behind, removed by this one's holders. */
  removed: { host: string; names: string[] }[];
  /** Hosts whose holder did not say that its probes are gone (the next refresh removes them). */
  unconfirmed: string[];
}

export interface ProbeRunOptions {
  topology: Topology;
  state: State;
  connect: ConnectOptions;
  hostLockWait?: number;
  /** `--probe-hosts`. */
  hosts?: string[];
  parallelism: number;
  /** Settles when the run must stop (Ctrl-C): the probes are removed and the run rejects with ProbeInterrupted. */
  interrupt?: Promise<void>;
  /** Told once every probe is attached. */
  onAttached?: (endpoints: ProbeEndpoint[]) => void;
}

export class ProbeInterrupted extends Error {
  constructor() {
    super('interrupted: the probes were removed');
    this.name = 'ProbeInterrupted';
  }
}

/** A match: what got through is what the matrix allows, and nothing answered with a reset. */
export function matches(c: CheckResult): boolean {
  return c.observed === c.expected && c.outcome !== 'refused';
}

const RETRIES = 2;
/** How long a holder may take to remove its probes once let go. */
const RELEASE_WAIT_MS = 30_000;

interface Holder {
  host: string;
  ready: Promise<void>;
  done: Promise<ExecResult>;
}

function startHolder(
  conn: HostConnection,
  host: string,
  endpoints: ProbeEndpoint[],
  ports: number[],
  wait: number,
  released: Promise<void>,
): Holder {
  let markReady!: () => void;
  let fail!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    markReady = res;
    fail = rej;
  });
  ready.catch(() => undefined);
  let isReady = false;
  const done = conn.exec(sh`sh -c ${shQuote(holderScript(endpoints, ports, wait))}`, {
    holdStdinUntil: released,
    // The lease ends with the run; this only bounds a run nobody ends.
    timeoutMs: 6 * 60 * 60_000,
    onStdoutLine: (line) => {
      if (line === '@@tvd probe-ready') {
        isReady = true;
        markReady();
      }
    },
  });
  done.then(
    (r) => {
      if (isReady) return;
      const busy = busyHolder(r.stdout);
      const why =
        busy !== undefined
          ? busyMessage(busy, wait)
          : /^@@tvd probe-busy$/m.test(r.stdout)
            ? 'another tvd verify --probe is probing this host; run again once it has ended'
            : `cannot attach the probes: ${probeFailure(r.stdout) ?? (r.stderr.trim().slice(0, 300) || `exit ${r.code ?? r.signal}`)}`;
      fail(new HostError(host, conn.endpoint, why));
    },
    (err: Error) => fail(err),
  );
  done.catch(() => undefined);
  return { host, ready, done };
}

export async function runTrafficProbe(o: ProbeRunOptions): Promise<ProbeReport> {
  for (const h of o.hosts ?? []) if (!o.topology.hosts?.[h]) throw new UserError(`--probe-hosts: ${h} is not a host of the topology`);
  const plan = planProbes(o.topology, o.state, o.hosts ? { hosts: o.hosts } : {});
  const report: ProbeReport = {
    endpoints: plan.endpoints,
    ports: plan.ports,
    checks: [],
    unprobed: plan.unprobed,
    removed: [],
    unconfirmed: [],
  };
  if (plan.endpoints.length === 0) return report;
  const wait = o.hostLockWait ?? DEFAULT_HOST_LOCK_WAIT_S;
  const pool = new ConnectionPool(o.topology, o.connect);
  const hosts = [...new Set(plan.endpoints.map((e) => e.host))].sort();
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const holders: Holder[] = [];
  let interrupted = false;
  const stop = new Promise<never>((_, rej) => {
    void o.interrupt?.then(() => {
      interrupted = true;
      rej(new ProbeInterrupted());
    });
  });
  stop.catch(() => undefined);
  const unlessStopped = <T>(p: Promise<T>) => Promise.race([p, stop]);
  try {
    pool.warm(hosts);
    await unlessStopped(
      Promise.all(
        hosts.map(async (h) => {
          const holder = startHolder(
            await pool.connect(h),
            h,
            plan.endpoints.filter((e) => e.host === h),
            plan.ports,
            wait,
            released,
          );
          holders.push(holder);
          await holder.ready;
        }),
      ),
    );
    o.onAttached?.(plan.endpoints);
    const outcomes = new Map<number, CheckOutcome>();
    const runChecks = async (ids: number[], parallelism: number) => {
      const bySource = [...targetsBySource(plan.endpoints, plan.checks, ids)];
      await mapBounded(bySource, parallelism, async ([from, targets]) => {
        if (interrupted) return;
        const src = plan.endpoints[from];
        const conn = await pool.connect(src.host);
        const r = await conn.exec(sh`sh -s`, { stdin: checkScript(src, targets) });
        if (!/^@@tvd probe-done$/m.test(r.stdout)) {
          throw new HostError(
            src.host,
            conn.endpoint,
            `the checks from probe ${src.name} (TVD ${src.tvd}) did not finish: ${probeFailure(r.stdout) ?? (r.stderr.trim().slice(0, 300) || `exit ${r.code ?? r.signal}`)}`,
          );
        }
        for (const [id, outcome] of parseCheckResults(r.stdout)) outcomes.set(id, outcome);
      });
    };
    await unlessStopped(
      runChecks(
        plan.checks.map((_, i) => i),
        o.parallelism,
      ),
    );
    // Getting through proves a path, so a retry can never hide a leak; a cut path fails every try.
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const doubtful = plan.checks.flatMap((c, i) => (c.expected && outcomes.get(i) !== 'ok' ? [i] : []));
      if (doubtful.length === 0) break;
      await unlessStopped(runChecks(doubtful, Math.max(1, Math.floor(o.parallelism / 3))));
    }
    report.checks = plan.checks.map((c, i) => {
      const outcome = outcomes.get(i) ?? 'none';
      return { ...c, outcome, observed: outcome === 'ok' };
    });
    return report;
  } finally {
    release();
    const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), RELEASE_WAIT_MS).unref());
    for (const h of holders) {
      const r = await Promise.race([h.done.catch(() => undefined), timer]);
      const out = r === 'late' || r === undefined ? '' : r.stdout;
      const names = parseRemoved(out.split('@@tvd probe-ready')[0]);
      if (names.length) report.removed.push({ host: h.host, names });
      // A holder that failed before it attached anything removed what it made, and said so.
      if (!/^@@tvd probe-gone$/m.test(out) && /^@@tvd probe-ready$/m.test(out)) report.unconfirmed.push(h.host);
      if (r === 'late' || r === undefined) report.unconfirmed.push(h.host);
    }
    report.unconfirmed = [...new Set(report.unconfirmed)].sort();
    await pool.closeAll();
  }
}
