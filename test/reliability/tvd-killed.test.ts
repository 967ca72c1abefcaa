// Fault: tvd itself dies (kill -9: OOM, a closed laptop) while a host is mid-bundle. The state
// must already say that the step under way is unknown (tainted, written ahead of the step's
// end), so that whatever the host does before it notices, the state stays true: valid JSON,
// nothing claimed that is not there, nothing there that it does not know. The lock is left
// behind, reported as stale; after force-unlock one apply converges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON, withLab } from '../../lab/api.js';
import { writeTopology } from '../support/example.js';
import { labArgs, tvd } from '../support/tvd-cli.js';
import { convergeAgain, killApplyAtFirstVm, labPrefix, oneTvd, reportRow, resourcesOf, stateTruth } from './fault-kit.js';

const PREFIX = labPrefix('r7k');

test('tvd killed with SIGKILL mid-bundle: the state is true once the host stops, the stale lock is named, then converges', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 90_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-r7k-'));
  try {
    await withLab({ hosts: 1, prefix: PREFIX }, async (lab) => {
      const state = join(dir, 'state.json');
      const args = labArgs(lab, state);
      const path = writeTopology(dir, oneTvd(lab, 2));

      const begun = await killApplyAtFirstVm(t, PREFIX, 'h1', path, args, state);
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
