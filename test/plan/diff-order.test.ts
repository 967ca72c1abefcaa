// The diff merges the desired resources and the state when both are in address order, and keys
// them by address otherwise: either way the same actions, in address order. Pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import { diffResources } from '../../src/plan/diff.js';
import { compareAddresses } from '../../src/address/address.js';
import type { StateResource } from '../../src/state/state.js';
import { emptyState, stateOf, webDb, webDbCaps } from './fixtures.js';

test('a state out of address order gets the same actions as the same state in order', () => {
  const t = webDb();
  const before = buildPlan({ topology: t, topologyDigest: 'x', capabilities: webDbCaps(), state: emptyState(), hookDigest: 'h' });
  const state = stateOf(before.desired.resources);
  // Changes of every kind: an update, a tainted record (replace), a record nothing wants (delete), one missing (create).
  const recorded: StateResource[] = state.resources.map((r) => ({ ...r }));
  const vm = recorded.findIndex((r) => r.type === 'vm');
  recorded[vm] = { ...recorded[vm], attrs: { ...(recorded[vm].attrs as object), start: true } };
  recorded[0] = { ...recorded[0], status: 'tainted' };
  recorded.push({ host: 'node-1', type: 'vm', name: 'zz-gone', attrs: { path: '/etc/xen/tvd/zz-gone.cfg' }, status: 'applied' });
  const missing = recorded.splice(recorded.length - 3, 1)[0];
  recorded.sort(compareAddresses);
  const desired = before.desired.resources;
  const inOrder = diffResources(desired, recorded); // the merge
  const shuffled = [...recorded].reverse();
  assert.deepEqual(diffResources(desired, shuffled), inOrder); // keyed by address
  assert.deepEqual(diffResources([...desired].reverse(), recorded), inOrder);
  const kinds = inOrder.map((a) => `${a.action} ${a.host}/${a.resource.type}/${a.resource.name}`);
  assert.ok(kinds.includes(`create ${missing.host}/${missing.type}/${missing.name}`), kinds.join('\n'));
  assert.ok(kinds.includes('delete node-1/vm/zz-gone'), kinds.join('\n'));
  assert.ok(
    kinds.some((k) => k.startsWith('replace ')),
    kinds.join('\n'),
  );
  assert.ok(
    inOrder.some((a) => a.action !== 'create' && a.action !== 'delete' && a.resource.type === 'vm'),
    kinds.join('\n'),
  );
  for (let i = 1; i < inOrder.length; i++) {
    const [x, y] = [inOrder[i - 1], inOrder[i]];
    assert.ok(compareAddresses({ host: x.host, ...x.resource }, { host: y.host, ...y.resource }) < 0, kinds.join('\n'));
  }
});
