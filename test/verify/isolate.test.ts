// Continual membership on the lab: red pins the hypervisor digest and says
// `membership: {check: continual, onFailure: isolate}`. When h2's digest changes, verify reports
// it, and the next apply cuts red-2 (on h2) off from red: traffic between red-1 and red-2 stops.
// When h2 passes again, the next apply brings it back and traffic returns. `verify --watch`
// reports it every interval (1s here) and stops cleanly on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON, vmExec, withLab } from '../../lab/api.js';
import { labArgs, tvd, TVD_MAIN } from '../support/tvd-cli.js';
import { writeTopology } from '../support/example.js';
import { changeHypervisor, labHypervisorDigest, restoreHypervisor, verifyTopology } from './lab-topology.js';

const PREFIX = `t6i${process.pid % 1000}`;

const pings = async (from: string, ip: string) =>
  (await vmExec(PREFIX, from, ['ping', '-n', '-q', '-c', '3', '-i', '0.2', '-W', '1', ip])).code === 0;

/** Runs `tvd verify --watch` until it has printed `rounds` round results, then sends SIGTERM. */
function watch(args: string[], rounds: number): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TVD_MAIN, 'verify', ...args, '--watch'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      out += d;
      const done = out.split('\n').filter((l) => / (membership|drift|foreign|clean|error)[ :]/.test(l));
      const roundsSeen = new Set(done.map((l) => l.split(' ')[0])).size;
      if (!sent && roundsSeen >= rounds) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, lines: out.split('\n').filter(Boolean), stderr: err }));
  });
}

test('membership.onFailure: isolate cuts a failing host off, and lets it back when it passes; verify --watch', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 600_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-t6i-'));
  try {
    await withLab({ hosts: 2, segments: 1, prefix: PREFIX }, async (lab) => {
      const state = join(dir, 'state.json');
      const args = labArgs(lab, state);
      const digest = await labHypervisorDigest(PREFIX, 'h1');
      const t = verifyTopology(lab, (t) => {
        t.tvds.red.requires = { 'hypervisor-integrity': { evidence: ['mutable-log', 'immutable-log'], value: digest } };
        t.tvds.red.membership = { check: 'continual', interval: '1s', onFailure: 'isolate' };
      });
      const path = writeTopology(dir, t);
      const applied = await tvd(['apply', path, '--auto-approve', ...args]);
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);
      assert.ok(await pings('red-1', '198.19.1.11'), 'red-1 reaches red-2 before');

      try {
        await changeHypervisor(PREFIX, 'h2');
        const v = await tvd(['verify', path, ...args]);
        assert.equal(v.code, 2, v.stdout + v.stderr);
        assert.match(v.stdout, /membership h2: host h2 does not meet tvds\.red\.requires\.hypervisor-integrity.*cuts its VMs off from red/);

        // --watch: one line per finding each round, until SIGTERM; exit 0.
        const w = await watch([path, ...args], 2);
        assert.equal(w.code, 0, w.lines.join('\n') + w.stderr);
        assert.ok(w.lines.filter((l) => / membership h2: /.test(l)).length >= 2, w.lines.join('\n'));
        assert.match(w.lines[w.lines.length - 1], / stopped$/);

        const plan = await tvd(['plan', path, '--json', ...args]);
        const acts = (JSON.parse(plan.stdout).actions as { action: string; host: string; resource: { type: string; name: string } }[]).map(
          (a) => `${a.action} ${a.host}/${a.resource.type}/${a.resource.name}`,
        );
        // Its only NIC goes, and with it the boot-time address in its config: the planner restarts it.
        assert.ok(
          acts.includes('update h2/vm/red-2') || acts.includes('replace h2/vm/red-2'),
          `red-2 loses its red NIC:\n${acts.join('\n')}`,
        );
        assert.ok(acts.includes('delete h2/encap/red'), `h2 leaves red's tunnels:\n${acts.join('\n')}`);
        const cut = await tvd(['apply', path, '--auto-approve', ...args]);
        assert.equal(cut.code, 0, cut.stdout + cut.stderr);
        assert.match(cut.stdout, /cut off from red/);
        assert.ok(!(await pings('red-1', '198.19.1.11')), 'red-1 no longer reaches red-2');
        assert.ok(!(await pings('red-2', '198.19.1.10')), 'red-2 no longer reaches red-1');
        const still = await tvd(['verify', path, ...args]);
        assert.equal(still.code, 2, "h2 still fails red's requirement, so verify still says so");
        assert.doesNotMatch(still.stdout, /^drift|^foreign/m, still.stdout);
        assert.match(still.stdout, /membership h2: .*its VMs are cut off from red until it passes again/);
      } finally {
        await restoreHypervisor(PREFIX, 'h2');
      }
      const back = await tvd(['apply', path, '--auto-approve', ...args]);
      assert.equal(back.code, 0, back.stdout + back.stderr);
      assert.ok(await pings('red-1', '198.19.1.11'), 'red-1 reaches red-2 again');
      assert.ok(await pings('red-2', '198.19.1.10'), 'red-2 reaches red-1 again');
      const clean = await tvd(['verify', path, ...args]);
      assert.equal(clean.code, 0, clean.stdout + clean.stderr);
      assert.equal((await tvd(['destroy', path, '--auto-approve', ...args])).code, 0);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
