// The machine a run was made on, for the page: figures mean little without it.
import { cpus, loadavg, totalmem, release } from 'node:os';
import { availableParallelism } from 'node:os';

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
  return loadavg().map((x) => x.toFixed(2)).join(' ');
}
