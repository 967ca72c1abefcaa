// What `tvd verify` does; its arguments and options are in commands/verify.ts.
import { paletteFor } from '../palette.js';
import { text } from '../verify-text.js';
import { findingLine } from '../../refresh/finding.js';
import type { CommonOptions } from '../common-options.js';
import { connectOptionsFrom, hostLockWaitFrom, type SshCliOptions } from '../ssh-options.js';
import { backendSpecFor } from '../state-backend.js';
import { openBackend } from '../../state/open-backend.js';
import { loadOrThrow } from '../../refresh/prepare-plan.js';
import { parseParallelism } from '../option-values.js';
import { UserError } from '../../errors/user-error.js';
import { verifyOnce, type VerifyResult } from '../../verify/run-verify.js';
import { continualTvds, intervalMs } from '../../verify/interval.js';

export interface VerifyOptions extends CommonOptions, SshCliOptions {
  json?: boolean;
  watch?: boolean;
  interval?: string;
  probe?: boolean;
  probeHosts?: string;
  parallelism: string;
}

const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** One round against the state in its backend, opened for the round (a watch outlives connections). */
type Round = () => Promise<VerifyResult>;

export async function run(file: string, o: VerifyOptions): Promise<void> {
  const c = paletteFor(o);
  const opts = { parallelism: parseParallelism(o.parallelism), hostLockWait: hostLockWaitFrom(o), connect: connectOptionsFrom(o) };
  const spec = backendSpecFor(o, loadOrThrow(file).topology.backend);
  if (o.probeHosts !== undefined && !o.probe) throw new UserError('--probe-hosts goes with --probe');
  if (o.probe && o.watch)
    throw new UserError('--probe does not go with --watch: a watch would attach probes every interval; run verify --probe on its own');
  if (o.probe) {
    const { runProbe } = await import('./verify-probe.js');
    process.exitCode = await runProbe(file, o, { ...opts, spec, palette: c });
    return;
  }
  const round: Round = async () => {
    const backend = await openBackend(spec);
    try {
      return await verifyOnce(file, { ...opts, backend });
    } finally {
      await backend.close();
    }
  };
  if (!o.watch) {
    const r = await round();
    process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : text(r, c));
    process.exitCode = r.findings.length ? 2 : 0;
    return;
  }
  process.exitCode = await watch(file, o, round);
}

async function watch(file: string, o: VerifyOptions, round: Round): Promise<number> {
  const { topology } = loadOrThrow(file);
  let ms: number | undefined;
  if (o.interval !== undefined) {
    ms = intervalMs(o.interval);
    if (ms === undefined) throw new UserError(`--interval ${o.interval}: expected a number and s, m or h (e.g. 30s, 10m)`);
  } else {
    const tvds = continualTvds(topology);
    if (tvds.length === 0)
      throw new UserError('no TVD has membership.check: continual, so --watch has no interval; set one in the topology or pass --interval');
    ms = Math.min(...tvds.map((t) => t.ms));
  }
  let stop = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    stop = true;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const out = (line: string) => process.stdout.write(`${stamp()} ${line}\n`);
  out(`watching every ${o.interval ?? `${ms / 1000}s`}`);
  try {
    while (!stop) {
      try {
        const r = await round();
        if (o.json) process.stdout.write(JSON.stringify({ at: stamp(), ...r }) + '\n');
        else if (r.findings.length === 0) out(`clean: ${r.hosts.length} ${r.hosts.length === 1 ? 'host' : 'hosts'}`);
        else for (const f of r.findings) out(findingLine(f));
      } catch (err) {
        out(`error: ${(err instanceof Error ? err.message : String(err)).replace(/\n/g, ' ')}`);
      }
      if (stop) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    out('stopped');
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
