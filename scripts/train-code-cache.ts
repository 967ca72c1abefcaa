// Trains the CLI bundle's V8 code cache (src/cli/bundle-loader.ts): runs the bundle on a small
// generated fleet, the commands people run most that touch no host (validate, plan from an empty
// and from a deployed state, show, graph), then writes the bytecode V8 compiled on the way to
// dist/bin/tvd/tvd.cache. A cache made after running holds the functions that ran, not only the
// top level. The runs happen in a child process, whose output goes nowhere.
// Usage: node dist/scripts/train-code-cache.js   (npm run build does it, after the bundle)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fleetOf } from '../bench/generate-topology.js';
import { writeFleet } from '../bench/write-fleet.js';
import { cacheFileBytes, loadBundle } from '../src/cli/bundle-loader.js';

const BIN = fileURLToPath(new URL('../bin/tvd/', import.meta.url));
const BUNDLE = join(BIN, 'tvd.cjs');
const CACHE = join(BIN, 'tvd.cache');

async function train(dir: string): Promise<void> {
  const { exports, script } = loadBundle(BUNDLE);
  const topology = join(dir, 'topology.yaml');
  const fromCaps = ['--capabilities', join(dir, 'caps'), '--refresh=false'];
  const runs = [
    ['validate', topology],
    ['plan', topology, ...fromCaps, '--state', join(dir, 'state-empty.json')],
    ['plan', topology, ...fromCaps, '--state', join(dir, 'state-deployed.json'), '--json'],
    ['show', '--state', join(dir, 'state-deployed.json')],
    ['graph', topology],
  ];
  for (const args of runs) {
    await exports.runCli([process.execPath, join(BIN, 'main.js'), ...args]);
    if (process.exitCode) throw new Error(`training: tvd ${args.join(' ')} exited ${process.exitCode}`);
  }
  writeFileSync(`${CACHE}.tmp`, cacheFileBytes(readFileSync(BUNDLE), script.createCachedData()));
  renameSync(`${CACHE}.tmp`, CACHE);
}

if (process.argv[2] === '--run') {
  await train(process.argv[3]);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-train-'));
  try {
    writeFleet(dir, fleetOf(20));
    rmSync(CACHE, { force: true });
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--run', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`training the code cache failed (exit ${r.status ?? r.signal})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
