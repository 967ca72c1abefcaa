// Records a host holds but the state lacks (a host that went on after tvd lost it) are adopted
// by refresh: plan shows them, apply keeps them (and the state learns them) or removes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canRunLab, hostExec, LAB_SKIP_REASON } from '../../lab/api.js';
import { orphanAddresses, orphanScript, parseOrphans } from '../../src/refresh/orphans.js';
import { exampleOnLab, writeTopology } from '../support/example.js';
import { labArgs, tvd } from '../support/tvd-cli.js';
import type { State } from '../../src/state/state.js';
import { withLabRun } from '../support/lab-run.js';

test('orphans: found per host from the manifests, read back from attrs.json lines', () => {
  const state = {
    formatVersion: 1,
    lineage: 'l',
    serial: 1,
    allocations: { tvdIds: {}, vlans: {}, transits: {} },
    resources: [{ host: 'h1', type: 'vswitch', name: 'red', attrs: {}, status: 'applied' }],
  } as State;
  const readings = [
    {
      host: 'h1',
      manifest: new Map([
        ['h1/vswitch/red', 'x'],
        ['h1/vm/red-2', 'y'],
        // Not tvd's: another host's address, and keys a damaged manifest may hold. Skipped, not fatal.
        ['h2/vm/elsewhere', 'z'],
        ['h1/no-such-type/x', 'z'],
        ['garbage', 'z'],
      ]),
    },
    { host: 'h2', manifest: new Map() },
  ];
  assert.deepEqual([...orphanAddresses(state, readings)], [['h1', ['h1/vm/red-2']]]);
  assert.match(orphanScript(['h1/vm/red-2']), /cat '\/var\/lib\/tvd\/res\/06-vm\.red-2\/attrs\.json'/);
  assert.deepEqual(parseOrphans('h1/vm/red-2 {"start":true}\nh1/vm/cut {"sta\n'), [
    { host: 'h1', type: 'vm', name: 'red-2', attrs: { start: true }, status: 'applied' },
  ]);
  assert.throws(() => orphanScript(['h1/vm/$(reboot)']));
});

const PREFIX = `t5o${process.pid % 1000}`;

test('a record the state lost is adopted: kept when wanted, removed when not', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 300_000,
}, async () => {
  await withLabRun({ hosts: 1, segments: 1, prefix: PREFIX }, async ({ lab, dir }) => {
    const statePath = join(dir, 'state.json');
    const args = labArgs(lab, statePath);
    const { path, topology } = exampleOnLab('single-host', lab, dir);
    assert.equal((await tvd(['apply', path, '--auto-approve', ...args])).code, 0);
    const host = topology.vms!['red-2'].host;
    const forget = () => {
      const s = JSON.parse(readFileSync(statePath, 'utf8')) as State;
      s.resources = s.resources.filter((r) => !(r.type === 'vm' && r.name === 'red-2'));
      writeFileSync(statePath, JSON.stringify(s));
    };

    forget();
    const keep = await tvd(['plan', path, '--json', ...args]);
    const acts = JSON.parse(keep.stdout).actions as { action: string; resource: { name: string }; reason?: string }[];
    assert.deepEqual(
      acts.map((a) => `${a.action} ${a.resource.name}`),
      ['update red-2'],
    );
    assert.match(acts[0].reason ?? '', /adopted/);
    assert.equal((await tvd(['apply', path, '--auto-approve', ...args])).code, 0);
    const s = JSON.parse(readFileSync(statePath, 'utf8')) as State;
    assert.ok(
      s.resources.some((r) => r.type === 'vm' && r.name === 'red-2' && r.status === 'applied'),
      'the state learned it',
    );
    assert.equal((await tvd(['plan', path, '--detailed-exitcode', ...args])).code, 0);

    forget();
    const t2 = structuredClone(topology);
    delete t2.vms!['red-2'];
    const p2 = writeTopology(dir, t2, 'without.yaml');
    const gone = await tvd(['plan', p2, '--json', ...args]);
    assert.ok(
      (JSON.parse(gone.stdout).actions as { action: string; resource: { name: string } }[]).some(
        (a) => a.action === 'delete' && a.resource.name === 'red-2',
      ),
    );
    assert.equal((await tvd(['apply', p2, '--auto-approve', ...args])).code, 0);
    const xl = await hostExec(PREFIX, host, ['xl', 'list']);
    assert.doesNotMatch(xl.stdout, /red-2/);
    assert.equal((await tvd(['destroy', p2, '--auto-approve', ...args])).code, 0);
  });
});
