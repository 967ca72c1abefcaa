// Issue 22, against a 3-host lab: the ways out of a stuck fleet. A targeted plan saved and
// applied exactly; --limit that reads only its hosts (the third is down); a plan that goes on
// without an unreachable host when told to; a host removed from the file, refused with the way
// out named, then let go with --limit and `tvd state rm`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON, withLab } from '../../lab/api.js';
import { killSshd, startSshd } from '../../lab/sshd-control.js';
import type { Plan } from '../../src/plan/plan.js';
import type { State } from '../../src/state/state.js';
import { writeTopology } from '../support/example.js';
import { labArgs, tvd } from '../support/tvd-cli.js';
import { labPrefix, oneTvd } from '../reliability/fault-kit.js';

const PREFIX = labPrefix('wo1');
const addresses = (p: Plan) => p.actions.map((a) => `${a.host}/${a.resource.type}/${a.resource.name}`).sort();
const recorded = (path: string) =>
  (JSON.parse(readFileSync(path, 'utf8')) as State).resources.map((r) => `${r.host}/${r.type}/${r.name}`).sort();

test('--target, --limit, --skip-unreachable and state rm on a 3-host lab', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 240_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-wo1-'));
  try {
    await withLab({ hosts: 3, prefix: PREFIX }, async (lab) => {
      const state = join(dir, 'state.json');
      const args = labArgs(lab, state);
      const topology = oneTvd(lab, 1);
      const path = writeTopology(dir, topology);

      // A targeted plan: the VM and what it needs on its host, nothing else; saved, and applied exactly as saved.
      const saved = join(dir, 'web.plan');
      const p1 = await tvd(['plan', path, '--target', 'h1/vm/h1-v0', '--out', saved, ...args]);
      assert.equal(p1.code, 0, p1.stderr);
      assert.match(p1.stdout, /^Warning: this plan is partial\. It covers only the targets h1\/vm\/h1-v0/);
      assert.match(p1.stdout, /\d+ actions of the whole plan are left out/);
      const plan1 = JSON.parse(readFileSync(saved, 'utf8')) as Plan;
      assert.deepEqual(addresses(plan1), ['h1/proxy/h1', 'h1/vm/h1-v0', 'h1/vswitch/t']);
      assert.deepEqual(plan1.partial?.targets, ['h1/vm/h1-v0']);
      const a1 = await tvd(['apply', saved, ...args]);
      assert.equal(a1.code, 0, a1.stdout + a1.stderr);
      assert.match(a1.stdout, /The plan was partial \(--target\)/);
      assert.deepEqual(recorded(state), ['h1/proxy/h1', 'h1/vm/h1-v0', 'h1/vswitch/t']);
      // The options are for a topology: a saved plan is applied as saved.
      assert.match((await tvd(['apply', saved, '--limit', 'h1', ...args])).stderr, /applied exactly as it was saved/);

      // Then the rest; the state now records each host's capability model.
      const all = await tvd(['apply', path, '--auto-approve', ...args]);
      assert.equal(all.code, 0, all.stdout + all.stderr);
      assert.deepEqual(Object.keys((JSON.parse(readFileSync(state, 'utf8')) as State).capabilities ?? {}), ['h1', 'h2', 'h3']);

      // h3 goes down.
      await killSshd(PREFIX, 'h3');
      t.after(() => startSshd(PREFIX, 'h3').catch(() => {}));
      const stuck = await tvd(['plan', path, ...args]);
      assert.equal(stuck.code, 1);
      assert.match(
        stuck.stderr,
        /host h3 .*\n.*Nothing was changed\.\nTo plan the other hosts, keeping what the state records of an unreachable one: --skip-unreachable/,
      );

      // --limit reads only h1 and h2: h3 being down does not matter.
      const limited = await tvd(['plan', path, '--limit', 'h1,h2', '--detailed-exitcode', '--json', ...args]);
      assert.equal(limited.code, 0, limited.stdout + limited.stderr);
      assert.deepEqual((JSON.parse(limited.stdout) as Plan).partial, { targets: [], limit: ['h1', 'h2'], skipped: [], omitted: 0 });

      // --skip-unreachable: h3 named with why, its records kept, no action on it, and exit 2 with --detailed-exitcode.
      const skipping = await tvd(['plan', path, '--skip-unreachable', '--detailed-exitcode', ...args]);
      assert.equal(skipping.code, 2, skipping.stdout + skipping.stderr);
      assert.match(
        skipping.stdout,
        /host h3 \([\d.:]+\) skipped, unreachable: .+\n {2}its 4 recorded resources are kept as they are; nothing is planned for it/,
      );
      assert.match(skipping.stdout, /No changes\. The part this plan covers matches the topology\./);
      const sj = JSON.parse((await tvd(['plan', path, '--skip-unreachable', '--json', ...args])).stdout) as Plan;
      assert.deepEqual(
        sj.partial?.skipped.map((s) => [s.host, s.resources]),
        [['h3', 4]],
      );
      assert.equal(sj.actions.length, 0);

      // h3 is gone for good: removed from the file. Refused, naming the ways out.
      const without = structuredClone(topology);
      delete without.hosts!.h3;
      delete without.vms!['h3-v0'];
      const p2 = writeTopology(dir, without, 'without-h3.yaml');
      const refused = await tvd(['plan', p2, ...args]);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /the state has resources on h3, which the topology no longer names.*`tvd state rm h3` \(the host is not touched\).*--limit/s,
      );
      // The others stop flooding to h3 (--limit: h3 is not contacted), then the state forgets it.
      const a2 = await tvd(['apply', p2, '--limit', 'h1,h2', '--auto-approve', ...args]);
      assert.equal(a2.code, 0, a2.stdout + a2.stderr);
      assert.match(a2.stdout, /~ h1\/encap\/t/);
      const rm = await tvd(['state', 'rm', 'h3', '--state', state]);
      assert.equal(rm.code, 0, rm.stderr);
      assert.match(rm.stdout, /Removed h3\/vm\/h3-v0\n/);
      assert.match(
        rm.stdout,
        /Removed 4 records from the state \(serial (\d+) -> (\d+)\)\. The previous state is in .*state\.json\.backup\./,
      );
      assert.ok(existsSync(`${state}.backup`));
      assert.ok((JSON.parse(readFileSync(`${state}.backup`, 'utf8')) as State).resources.some((r) => r.host === 'h3'));
      assert.equal((await tvd(['state', 'rm', 'h3', '--state', state])).code, 1, 'nothing left on h3 to forget');
      assert.deepEqual((await tvd(['state', 'list', 'h3', '--state', state])).stdout, '');
      const done = await tvd(['plan', p2, '--detailed-exitcode', ...args]);
      assert.equal(done.code, 0, done.stdout + done.stderr);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
