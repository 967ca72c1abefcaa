// A vm recorded before structured attributes held its xl.cfg as text (and NICs without their MTU).
// A new tvd reading such a state must not change, let alone restart, a VM whose file it would
// write the same; a real change is planned as before: NICs live, the rest at boot. Pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import { xlConfig } from '../../src/plan/xl-config.js';
import type { VmAttrs } from '../../src/plan/resources.js';
import type { Topology } from '../../src/topology/schema.js';
import type { State } from '../../src/state/state.js';
import { emptyState, stateOf, webDb, webDbCaps } from './fixtures.js';
import { actionAddress } from '../../src/address/address.js';
import * as fx from '../render/fixtures.js';

const planFor = (t: Topology, state: State) =>
  buildPlan({ topology: t, topologyDigest: 'x', capabilities: webDbCaps(), state, hookDigest: 'h' }).plan;

/** The state a first apply records, with every vm in the old form. */
function legacyDeployed(t: Topology): State {
  const state = stateOf(
    buildPlan({ topology: t, topologyDigest: 'x', capabilities: webDbCaps(), state: emptyState(), hookDigest: 'h' }).desired.resources,
  );
  for (const r of state.resources) {
    if (r.type !== 'vm') continue;
    const a = r.attrs as VmAttrs;
    r.attrs = { path: a.path, config: xlConfig(r.name, r.host, a), start: a.start, nics: a.nics.map(({ mtu: _, ...n }) => n) };
  }
  return state;
}

test('xlConfig writes the text the planner wrote before, byte for byte', () => {
  assert.equal(xlConfig('w1', fx.vmStarted.address.host, fx.vmStarted.attrs), fx.vmStartedConfig);
});

test('a vm recorded as text that the topology would write the same is no change', () => {
  const t = webDb();
  t.vms!.d1.start = true;
  assert.deepEqual(planFor(t, legacyDeployed(t)).actions, []);
});

test('a vm recorded as text: new memory restarts a running VM, a new NIC is attached live', () => {
  const t = webDb();
  t.vms!.d1.start = true;
  t.vms!.w2.start = true;
  const state = legacyDeployed(t);
  t.vms!.d1.memory = 512;
  t.vms!.w2.nics.push({ tvd: 'db', ip: '198.19.41.11' });
  const p = planFor(t, state);
  const d1 = p.actions.find((a) => actionAddress(a) === 'node-2/vm/d1')!;
  assert.deepEqual([d1.action, d1.reason, d1.domain], ['replace', 'boot-config', 'restart']);
  assert.equal((d1.after as VmAttrs).domain.memory, 512, 'the new record is of the new form');
  const w2 = p.actions.find((a) => actionAddress(a) === 'node-2/vm/w2')!;
  assert.deepEqual([w2.action, w2.reason, w2.domain], ['update', undefined, undefined]);
  // Only the stopped VM's memory: an update.
  const t2 = webDb();
  const s2 = legacyDeployed(t2);
  t2.vms!.w1.memory = 256;
  const w1 = planFor(t2, s2).actions.find((a) => actionAddress(a) === 'node-1/vm/w1')!;
  assert.equal(w1.action, 'update');
});
