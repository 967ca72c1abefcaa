// A private copy of the built CLI for one benchmark run. Other engineers rebuild dist/ in this
// shared tree while benchmarks run (a half-built module once failed a run), so run.ts copies
// dist/src, dist/bin and dist/bench once and every child process of the run uses that copy.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');

/** The `tvd` that package.json's bin runs: the bundle (scripts/bundle-cli.ts). */
export const TVD_BIN = 'bin/tvd/main.js';
/** The same CLI as separate modules: a CPU profile of it names each source file. */
export const TVD_MODULES = 'src/cli/main.js';

/** The built file `rel` (e.g. TVD_BIN), from the run's snapshot when there is one. */
export function built(rel: string): string {
  return join(process.env.TVD_BENCH_DIST ?? DIST, rel);
}

/** Copies dist/src, dist/bench and what they read at run time; sets TVD_BENCH_DIST. Returns a remover. */
export function snapshotBuild(): () => void {
  // Inside dist/ (ignored by git), so that node_modules and package.json resolve as from dist/.
  const base = join(DIST, '.bench-snapshot', String(process.pid));
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  cpSync(join(DIST, 'src'), join(base, 'dist', 'src'), { recursive: true });
  cpSync(join(DIST, 'bin'), join(base, 'dist', 'bin'), { recursive: true });
  cpSync(join(DIST, 'bench'), join(base, 'dist', 'bench'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(base, 'package.json'));
  cpSync(join(ROOT, 'schemas'), join(base, 'schemas'), { recursive: true });
  process.env.TVD_BENCH_DIST = join(base, 'dist');
  return () => {
    delete process.env.TVD_BENCH_DIST;
    rmSync(base, { recursive: true, force: true });
  };
}
