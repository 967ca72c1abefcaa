// Fault: tvd itself dies (kill -9: OOM, a closed laptop) while a host is mid-bundle. The state
// must already say that the step under way is unknown (tainted, written ahead of the step's
// end), so that whatever the host does before it notices, the state stays true: valid JSON,
// nothing claimed that is not there, nothing there that it does not know. The lock is left
// behind, reported as stale; after force-unlock one apply converges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canRunLab, LAB_SKIP_REASON } from '../../lab/api.js';
import type { State } from '../../src/state/state.js';
import { writeTopology } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import { convergeAgain, firstVmBegins, holdXl, labPrefix, oneTvd, reportRow, resourcesOf, startTvd, stateTruth, waitForQuiet } from './fault-kit.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = labPrefix('r7k');

/** Waits until the state file records `address` with `status`. */
async function stateShows(path: string, address: string, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const s = JSON.parse(readFileSync(path, 'utf8')) as State;
      if (s.resources.some((r) => `${r.host}/${r.type}/${r.name}` === address && r.status === status)) return;
    } catch {
      /* not written yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the state never recorded ${address} as ${status}`);
}

test('tvd killed with SIGKILL mid-bundle: the state is true once the host stops, the stale lock is named, then converges', { skip: canRunLab() ? false : LAB_SKIP_REASON, timeout: 90_000 }, async (t) => {
  await withLabRun({ hosts: 1, prefix: PREFIX }, async ({ lab, dir, state, args }) => {
    const path = writeTopology(dir, oneTvd(lab, 2));

    const release = await holdXl(PREFIX, 'h1');
    const run = startTvd(['apply', path, '--auto-approve', '--json', ...args]);
    t.after(() => void run.child.kill('SIGKILL'));
    const begun = await run.waitForEvent(firstVmBegins('h1'));
    // The write-ahead: before the host can finish this step, the state calls it unknown.
    await stateShows(state, begun.address!, 'tainted');
    run.child.kill('SIGKILL');
    await run.result;
    // The host goes on until it notices tvd is gone (its next line of output).
    await release();
    await waitForQuiet(PREFIX, 'h1');
    const truth = await stateTruth(state, PREFIX, ['h1']);
    reportRow(t, { area: 'fault', faults: 1, dataLost: truth.problems.length ? 1 : 0, note: 'tvd itself killed (SIGKILL) mid-bundle' });
    assert.deepEqual(truth.problems, [], 'the state is true to the host');
    assert.deepEqual(resourcesOf(truth.state, 'h1'), ['h1/proxy/h1 applied', `${begun.address} tainted`, 'h1/vswitch/t applied'].sort());

    const refused = await tvd(['apply', path, '--auto-approve', ...args]);
    assert.equal(refused.code, 1);
    const id = /stale lock: pid \d+ is gone on this machine\): lock ID ([0-9a-f-]{36})/.exec(refused.stderr)?.[1];
    assert.ok(id, refused.stderr);
    assert.match(refused.stderr, new RegExp(`tvd force-unlock ${id}`));
    assert.equal((await tvd(['force-unlock', id!, '--state', state])).code, 0);
    await convergeAgain(path, args);
  });
});
