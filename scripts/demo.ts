// The demo: bring up a lab of three Dom0 hosts in two segments (namespaces, or with --kind xen real
// Xen hosts in QEMU), apply examples/three-hosts,
// prove it with traffic between every pair of VMs, show that a second plan is empty, destroy,
// and tear the lab down (always, even on failure).
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLab, withXenLab, type AnyLabInfo } from '../lab/api.js';
import { matrixTable, mismatchLine, mismatches, runTrafficMatrix } from '../lab/traffic-matrix.js';
import { exampleOnLab } from '../test/support/example.js';
import { cleanupOnInterrupt, wasInterrupted } from '../lab/interrupt.js';

const TVD = fileURLToPath(new URL('../bin/tvd/main.js', import.meta.url));
// Usage: demo.js [--kind netns|xen] [EXAMPLE]
const argv = process.argv.slice(2);
const kindAt = argv.indexOf('--kind');
const kind = kindAt >= 0 ? argv.splice(kindAt, 2)[1] : 'netns';
if (kind !== 'netns' && kind !== 'xen') {
  process.stderr.write(`demo: --kind takes netns or xen (got ${kind ?? 'nothing'})\n`);
  process.exit(1);
}
const example = argv[0] ?? 'three-hosts';

function step(title: string) {
  process.stdout.write(`\n=== ${title}\n`);
}

function tvd(args: string[], okCodes = [0]): number {
  process.stdout.write(`$ tvd ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [TVD, ...args], { stdio: 'inherit' });
  const code = r.status ?? 1;
  if (!okCodes.includes(code)) throw new Error(`tvd ${args[0]} exited ${code}`);
  return code;
}

const dir = mkdtempSync(join(tmpdir(), 'tvd-demo-'));
// Ctrl-C removes it too, after the lab (lab/interrupt.ts: cleanups run newest first), and says so.
const removeDir = cleanupOnInterrupt(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (wasInterrupted())
    process.stderr.write("\nInterrupted: the lab 'demo' is taken down (its hosts, links and sshds) and its files removed.\n");
});
let failed = false;
try {
  const shape = { hosts: 3, segments: 2 };
  const run = async (lab: AnyLabInfo) => {
    for (const h of lab.hosts) process.stdout.write(`  ${h.name}  ${h.address}:${h.port}  segment ${h.segment}\n`);
    const { path, topology } = exampleOnLab(example, lab, dir);
    const common = ['--state', join(dir, 'state.json'), '--known-hosts', lab.knownHosts, '--identity', lab.identity];
    step(`The topology: examples/${example}, its hosts mapped onto the lab (${path})`);
    tvd(['validate', path]);
    step('Plan: capability models probed over SSH, mechanisms chosen per host pair');
    tvd(['plan', path, ...common]);
    step('Apply');
    tvd(['apply', path, '--auto-approve', ...common]);
    step('Proof by traffic: ping and TCP from every VM to every other, against the flow matrix');
    const results = await runTrafficMatrix(lab, topology);
    process.stdout.write(matrixTable(results));
    const bad = mismatches(results);
    process.stdout.write(
      `(rows send, columns receive; "all" = ping and every TCP port tried, "none" = nothing; "!" marks a cell that differs from the matrix)\n`,
    );
    process.stdout.write(`${results.length - bad.length} of ${results.length} probes match the flow matrix.\n`);
    if (bad.length) {
      failed = true;
      for (const b of bad) process.stdout.write(`  MISMATCH ${mismatchLine(b)}\n`);
    }
    step('Plan again: nothing to do (exit 0 with --detailed-exitcode)');
    tvd(['plan', path, '--detailed-exitcode', ...common]);
    step('Destroy');
    tvd(['destroy', path, '--auto-approve', ...common]);
    step('Tearing down the lab');
  };
  if (kind === 'xen') {
    step('Bringing up the lab: 3 real Xen 4.17 hosts (a Debian Dom0 each, in QEMU under software emulation) in 2 segments; minutes');
    await withXenLab({ ...shape, prefix: 'demox', log: (l) => process.stdout.write(`  ${l}\n`) }, run);
  } else {
    step('Bringing up the lab: 3 Dom0 hosts (network + mount namespaces, real sshd, an xl stand-in) in 2 segments');
    await withLab({ ...shape, prefix: 'demo' }, run);
  }
} catch (err) {
  failed = true;
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
} finally {
  await removeDir();
}
process.stdout.write(
  failed ? '\nDemo FAILED.\n' : '\nDemo OK: the TVD networks matched the flow matrix, and everything was removed again.\n',
);
process.exit(failed ? 1 : 0);
