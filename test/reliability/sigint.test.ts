// Fault: Ctrl-C during apply. The first SIGINT starts no new host and lets the one under way
// finish its script (exit 130); a second SIGINT exits at once, while a host is still held
// mid-bundle. Each time the state is valid JSON, true to the hosts, and the lock is released.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { canRunLab, LAB_SKIP_REASON } from '../../lab/api.js';
import { writeTopology } from '../support/example.js';
import { labArgs } from '../support/tvd-cli.js';
import {
  convergeAgain,
  firstVmBegins,
  holdXl,
  labPrefix,
  oneTvd,
  reportRow,
  resourcesOf,
  startTvd,
  stateTruth,
  waitForQuiet,
} from './fault-kit.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = labPrefix('r7i');

test('SIGINT during apply: once finishes the running host only, twice exits at once; state true, lock released', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 90_000,
}, async (t) => {
  await withLabRun({ hosts: 2, prefix: PREFIX }, async ({ lab, dir, state }) => {
    const args = [...labArgs(lab, state), '--parallelism', '1'];
    const hosts = lab.hosts.map((h) => h.name);
    const path = writeTopology(dir, oneTvd(lab, 2));

    // One Ctrl-C while h1 (the first host, one at a time) is held at its first VM.
    let release = await holdXl(PREFIX, 'h1');
    const once = startTvd(['apply', path, '--auto-approve', '--json', ...args]);
    t.after(() => void once.child.kill('SIGKILL'));
    await once.waitForEvent(firstVmBegins('h1'));
    once.child.kill('SIGINT');
    await release();
    const r1 = await once.result;
    const truth1 = await stateTruth(state, PREFIX, hosts);
    assert.equal(r1.code, 130, r1.stdout + r1.stderr);
    assert.match(r1.stderr, /Interrupt received/);
    assert.match(r1.stderr, /host h2: not started \(interrupted\)/);
    assert.match(r1.stderr, /Apply interrupted: 1 of 2 hosts not started\./, 'a host never started did not fail');
    assert.doesNotMatch(r1.stderr, /failed on/);
    assert.deepEqual(truth1.problems, []);
    assert.equal(resourcesOf(truth1.state, 'h1').filter((x) => x.endsWith(' applied')).length, 5, 'h1 finished its script');
    assert.deepEqual(resourcesOf(truth1.state, 'h2'), [], 'h2 was not started');
    assert.equal(existsSync(`${state}.lock`), false, 'the lock is released');

    // Two Ctrl-C while h2 is held: tvd leaves at once, the host still mid-bundle.
    release = await holdXl(PREFIX, 'h2');
    const twice = startTvd(['apply', path, '--auto-approve', '--json', ...args]);
    t.after(() => void twice.child.kill('SIGKILL'));
    await twice.waitForEvent(firstVmBegins('h2'));
    twice.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 200)); // two separate signals, not one coalesced
    twice.child.kill('SIGINT');
    const r2 = await twice.result;
    const truth2 = await stateTruth(state, PREFIX, hosts);
    await release();
    reportRow(t, {
      area: 'fault',
      faults: 2,
      dataLost: truth1.problems.length + truth2.problems.length ? 1 : 0,
      note: 'SIGINT once, then twice, during apply',
    });
    assert.equal(r2.code, 130, r2.stdout + r2.stderr);
    assert.match(r2.stderr, /Stopped\. The state records what finished/);
    assert.deepEqual(truth2.problems, []);
    assert.deepEqual(resourcesOf(truth2.state, 'h2'), [
      'h2/encap/t applied',
      'h2/proxy/h2 applied',
      'h2/vm/h2-v0 tainted',
      'h2/vswitch/t applied',
    ]);
    assert.ok(truth2.state!.serial > truth1.state!.serial);
    assert.equal(existsSync(`${state}.lock`), false, 'the lock is released');

    await waitForQuiet(PREFIX, 'h2');
    await convergeAgain(path, args);
  });
});
