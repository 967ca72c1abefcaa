// Issue 22: tvd killed in the middle of a VM's creation. What the host finished after tvd died
// is tvd's own work: the next plan must not call the half-made VM's vif a foreign port (the VM
// is tainted, and its replace cleans the vif up). Adoption's text: test/waysout/plan-text.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON, withLab } from '../../lab/api.js';
import { writeTopology } from '../support/example.js';
import { labArgs, tvd } from '../support/tvd-cli.js';
import { convergeAgain, killApplyAtFirstVm, labPrefix, oneTvd } from '../reliability/fault-kit.js';

const PREFIX = labPrefix('wo4');

test("apply killed while a VM is being created: the next plan calls its vif tvd's own, then converges", {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 120_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-wo4-'));
  try {
    await withLab({ hosts: 1, prefix: PREFIX }, async (lab) => {
      const state = join(dir, 'state.json');
      const args = labArgs(lab, state);
      const path = writeTopology(dir, oneTvd(lab, 2));

      const begun = await killApplyAtFirstVm(t, PREFIX, 'h1', path, args, state);

      // plan reads without the state lock, which the killed run left behind.
      const plan = await tvd(['plan', path, ...args]);
      assert.equal(plan.code, 0, plan.stdout + plan.stderr);
      assert.doesNotMatch(plan.stdout, /foreign port|changed outside of tvd/, "the half-made VM's vif is tvd's own, not foreign");
      assert.match(plan.stdout, new RegExp(`# ${begun.address} is tainted`));
      assert.match(plan.stdout, new RegExp(`-/\\+ ${begun.address}\n`));
      assert.doesNotMatch(plan.stdout, /~ h1\/vswitch\/t/, 'nothing to repair on the bridge');

      const refused = await tvd(['apply', path, '--auto-approve', ...args]);
      const id = /lock ID ([0-9a-f-]{36})/.exec(refused.stderr)?.[1];
      assert.ok(id, refused.stderr);
      assert.equal((await tvd(['force-unlock', id!, '--state', state])).code, 0);
      await convergeAgain(path, args);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
