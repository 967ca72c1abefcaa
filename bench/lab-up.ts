// Times `tvd-lab up` of 32 hosts (the issue asks for < 20 s) and `down`, and prints the figures.
// Usage: node dist/bench/lab-up.js [--hosts N] [--segments K] [--runs R]   (as root)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labDown, labUp } from '../lab/api.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const hosts = arg('hosts', 32);
const segments = arg('segments', 4);
const runs = arg('runs', 1);
const prefix = `bench${process.pid % 100000}`;

for (let r = 1; r <= runs; r++) {
  const tmp = mkdtempSync(join(tmpdir(), 'tvd-lab-bench-'));
  let upMs = NaN;
  let downMs = NaN;
  try {
    const t0 = performance.now();
    await labUp({ hosts, segments, prefix, out: join(tmp, 'lab') });
    upMs = performance.now() - t0;
  } finally {
    const t1 = performance.now();
    await labDown(prefix);
    downMs = performance.now() - t1;
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(
    `run ${r}: up ${hosts} hosts / ${segments} segments: ${(upMs / 1000).toFixed(2)} s; down: ${(downMs / 1000).toFixed(2)} s (target: up < 20 s)`,
  );
}
