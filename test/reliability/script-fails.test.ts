// Fault: a Dom0 script fails on one resource. A link with the bridge's name that is not a bridge
// (someone else's) makes that host's vswitch `up` refuse. That host stops there: nothing after it
// runs; the other host finishes; the state is true to both; `tvd plan` then shows exactly the
// rest (the failed resource again, and all that came after it). Once the conflict is gone, one
// apply converges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRunLab, hostExec, LAB_SKIP_REASON } from '../../lab/api.js';
import { writeTopology } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import { convergeAgain, hostManifest, labPrefix, oneTvd, reportRow, resourcesOf, stateTruth } from './fault-kit.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = labPrefix('r7f');
const VICTIM = 'h1';

interface JsonAction {
  action: string;
  host: string;
  resource: { type: string; name: string };
  after: Record<string, unknown> | null;
}
const key = (a: JsonAction) => `${a.host}/${a.resource.type}/${a.resource.name}`;

test('a Dom0 script fails on one resource: that host stops there, plan shows exactly the rest', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 90_000,
}, async (t) => {
  await withLabRun({ hosts: 2, prefix: PREFIX }, async ({ lab, dir, state, args }) => {
    const hosts = lab.hosts.map((h) => h.name);
    const path = writeTopology(dir, oneTvd(lab, 2));

    const first = await tvd(['plan', path, '--json', ...args]);
    assert.equal(first.code, 0, first.stderr);
    const planned = JSON.parse(first.stdout).actions as JsonAction[];
    const vswitch = planned.find((a) => a.host === VICTIM && a.resource.type === 'vswitch')!;
    const bridge = String(vswitch.after!.bridge);
    const squat = await hostExec(PREFIX, VICTIM, ['ip', 'link', 'add', bridge, 'type', 'veth', 'peer', 'name', 'squat0']);
    assert.equal(squat.code, 0, squat.stderr);

    const r = await tvd(['apply', path, '--auto-approve', ...args]);
    const truth = await stateTruth(state, PREFIX, hosts);
    reportRow(t, { area: 'fault', faults: 1, dataLost: truth.problems.length ? 1 : 0, note: 'a Dom0 script fails on one resource' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`Error: host ${VICTIM}: ${VICTIM}/vswitch/t failed: .*${bridge} exists and is not a bridge`),
      r.stderr,
    );
    assert.deepEqual(truth.problems, []);
    assert.deepEqual(resourcesOf(truth.state, VICTIM), [`${VICTIM}/proxy/${VICTIM} applied`, `${VICTIM}/vswitch/t tainted`]);
    assert.equal(resourcesOf(truth.state, 'h2').filter((x) => x.endsWith(' applied')).length, 5, 'the other host finished');

    // Nothing after the failed step ran on the victim: no tunnel, no VM, no record of them.
    assert.deepEqual([...(await hostManifest(PREFIX, VICTIM)).keys()], [`${VICTIM}/proxy/${VICTIM}`]);
    const links = await hostExec(PREFIX, VICTIM, ['ip', '-o', 'link', 'show']);
    assert.doesNotMatch(links.stdout, /tvx-|tvv/, links.stdout);
    const xl = await hostExec(PREFIX, VICTIM, ['xl', 'list']);
    assert.doesNotMatch(xl.stdout, /-v\d/, xl.stdout);

    // The plan: exactly what is left, the failed one included.
    const after = await tvd(['plan', path, '--json', ...args]);
    assert.equal(after.code, 0, after.stderr);
    const rest = JSON.parse(after.stdout).actions as JsonAction[];
    const expected = planned
      .filter((a) => a.host === VICTIM && a.resource.type !== 'proxy')
      .map(key)
      .sort();
    assert.deepEqual(rest.map(key).sort(), expected);
    assert.ok(['replace', 'create'].includes(rest.find((a) => a.resource.type === 'vswitch')!.action));

    await hostExec(PREFIX, VICTIM, ['ip', 'link', 'del', bridge]);
    await convergeAgain(path, args);
    assert.deepEqual((await stateTruth(state, PREFIX, hosts)).problems, []);
  });
});
