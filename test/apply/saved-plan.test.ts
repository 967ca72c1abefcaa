// Saved plans on the lab: applied exactly, refused once the state moved (also a plan made on an
// empty state and applied twice), and apply refuses to run without a terminal or approval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON } from '../../lab/api.js';
import { matrixTable, mismatchLine, mismatches, runTrafficMatrix } from '../../lab/traffic-matrix.js';
import { exampleOnLab, writeTopology } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = `t5s${process.pid % 1000}`;

test('single-host: a saved plan is applied exactly once, then refused as stale', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 300_000,
}, async () => {
  await withLabRun({ hosts: 1, segments: 1, prefix: PREFIX }, async ({ lab, dir, state, args }) => {
    const { path, topology } = exampleOnLab('single-host', lab, dir);
    const saved = join(dir, 'tvd.plan');

    const refused = await tvd(['apply', path, ...args]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not at a terminal.*--auto-approve/);

    const plan = await tvd(['plan', path, '--out', saved, ...args]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal(statSync(saved).mode & 0o777, 0o600);
    const body = JSON.parse(readFileSync(saved, 'utf8'));
    assert.equal(body.stateSerial, 0);
    assert.equal(body.stateLineage, null);

    const first = await tvd(['apply', saved, ...args]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const results = await runTrafficMatrix(lab, topology);
    assert.deepEqual(mismatches(results).map(mismatchLine), [], matrixTable(results));

    const twice = await tvd(['apply', saved, ...args]);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /saved plan .* is stale: the state changed since the plan was made \(it was at serial 0, it is at 1\)/);

    // A plan made now, then the state moves under it: refused too.
    const t2 = structuredClone(topology);
    delete t2.vms!['red-2'];
    const p2 = writeTopology(dir, t2, 'smaller.yaml');
    const saved2 = join(dir, 'smaller.plan');
    assert.equal((await tvd(['plan', p2, '--out', saved2, ...args])).code, 0);
    assert.equal((await tvd(['apply', p2, '--auto-approve', ...args])).code, 0);
    const stale = await tvd(['apply', saved2, ...args]);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /is stale/);

    assert.equal((await tvd(['destroy', p2, '--auto-approve', ...args])).code, 0);
    const show = await tvd(['show', '--state', state]);
    assert.match(show.stdout, /The state is empty/);
  });
});
