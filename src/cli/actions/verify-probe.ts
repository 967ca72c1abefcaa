// `tvd verify FILE --probe`: the verify round, then the traffic matrix proved live between
// probe endpoints (src/verify/run-traffic-probe.ts), printed beside the flow matrix. Exit 0 when
// the hosts are clean and every check matches the matrix, 2 on a finding or a difference, 1 on
// an error, 130 on Ctrl-C (once: the probes are removed first; twice: at once, and each host
// removes its own probes as the connection goes).
import type { Palette } from '../palette.js';
import type { VerifyOptions } from './verify.js';
import { text } from '../verify-text.js';
import type { ConnectOptions } from '../../ssh/session.js';
import type { BackendSpec } from '../../state/backend-spec.js';
import { openBackend } from '../../state/open-backend.js';
import { loadOrThrow } from '../../refresh/prepare-plan.js';
import { UserError } from '../../errors/user-error.js';
import { verifyOnce } from '../../verify/run-verify.js';
import { matches, ProbeInterrupted, runTrafficProbe } from '../../verify/run-traffic-probe.js';
import { probeJson, probeText } from '../../verify/traffic-probe-table.js';

export interface ProbeRunContext {
  parallelism: number;
  hostLockWait: number;
  connect: ConnectOptions;
  spec: BackendSpec;
  palette: Palette;
}

export function parseProbeHosts(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const hosts = [
    ...new Set(
      v
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    ),
  ];
  if (hosts.length === 0) throw new UserError('--probe-hosts: name at least one host (comma-separated)');
  return hosts;
}

export async function runProbe(file: string, o: VerifyOptions, x: ProbeRunContext): Promise<number> {
  const c = x.palette;
  const loaded = loadOrThrow(file);
  const hosts = parseProbeHosts(o.probeHosts);
  for (const h of hosts ?? []) if (!loaded.topology.hosts?.[h]) throw new UserError(`--probe-hosts: ${h} is not a host of the topology`);
  const backend = await openBackend(x.spec);
  let state;
  let verified;
  try {
    state = await backend.read();
    verified = await verifyOnce(file, { parallelism: x.parallelism, hostLockWait: x.hostLockWait, connect: x.connect, loaded }, state);
  } finally {
    await backend.close();
  }
  let interruptNow!: () => void;
  const interrupt = new Promise<void>((r) => (interruptNow = r));
  let signals = 0;
  const onSignal = () => {
    if (++signals === 1) {
      process.stderr.write(
        c.yellow('\nInterrupt received: removing the probes. Press Ctrl-C again to stop at once (each host then removes its own).\n'),
      );
      interruptNow();
      return;
    }
    process.stderr.write(
      c.red('Stopped. Each host removes its probes as the connection goes; the next tvd verify or plan removes any left behind.\n'),
    );
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let report;
  try {
    report = await runTrafficProbe({
      topology: loaded.topology,
      state,
      connect: x.connect,
      hostLockWait: x.hostLockWait,
      parallelism: x.parallelism,
      interrupt,
      ...(hosts ? { hosts } : {}),
      onAttached: (eps) => {
        if (!o.quiet && !o.json)
          process.stderr.write(c.dim(`Attached ${eps.length} probes on ${new Set(eps.map((e) => e.host)).size} hosts; probing.\n`));
      },
    });
  } catch (err) {
    if (err instanceof ProbeInterrupted) {
      process.stderr.write(c.yellow('Interrupted: the probes were removed.\n'));
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const differ = report.checks.filter((k) => !matches(k)).length;
  if (o.json) process.stdout.write(JSON.stringify({ ...verified, probe: probeJson(loaded.topology, report) }, null, 2) + '\n');
  else process.stdout.write(text(verified, c) + '\n' + probeText(loaded.topology, report, c));
  return verified.findings.length > 0 || differ > 0 ? 2 : 0;
}
