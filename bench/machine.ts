// The machine a run was made on, for the page: figures mean little without it.
import { cpus, loadavg, totalmem, release } from 'node:os';
import { availableParallelism } from 'node:os';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Machine {
  nproc: number;
  cpu: string;
  memory: string;
  kernel: string;
  node: string;
}

export function machine(): Machine {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: `Linux ${release()}`,
    node: process.version,
  };
}

export function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

/** `OpenSSH_9.2p1` from `ssh -V` (it prints on stderr). */
export function sshVersion(): string {
  const r = spawnSync('ssh', ['-V'], { encoding: 'utf8' });
  return /OpenSSH_([\w.]+)/.exec(r.stderr)?.[1] ?? '(unknown version)';
}

/**
 * CPU time the whole machine has spent busy since boot, in ms (/proc/stat: user, nice, system,
 * irq, softirq, steal; USER_HZ is 100 on Linux). Taken around a command, it counts every process
 * the command makes work, on both sides of SSH: the client, sshd and the hosts' scripts (and any
 * other load on the machine at the time).
 */
export function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  return (user + nice + system + irq + softirq + (steal ?? 0)) * 10;
}
