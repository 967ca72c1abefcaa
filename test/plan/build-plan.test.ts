import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import { webDb, webDbCaps, emptyState } from './fixtures.js';
import { actionAddress } from '../../src/address/address.js';

const plan = (over = {}) =>
  buildPlan({ topology: webDb(), topologyDigest: 'sha256:x', capabilities: webDbCaps(over), state: emptyState(), hookDigest: 'h' }).plan;

test('web/db over two VXLAN hosts: every resource type the conformance check expects', () => {
  const p = plan();
  assert.deepEqual(p.errors, []);
  const addrs = p.actions.map((a) => `${a.action} ${actionAddress(a)}`);
  assert.deepEqual(addrs, [
    'create node-1/proxy/node-1',
    'create node-1/vswitch/web',
    'create node-1/encap/web',
    'create node-1/vm/w1',
    'create node-2/proxy/node-2',
    'create node-2/vswitch/db',
    'create node-2/vswitch/web',
    'create node-2/encap/web',
    'create node-2/firewall/db',
    'create node-2/firewall/web',
    'create node-2/transit/db--web',
    'create node-2/vm/d1',
    'create node-2/vm/w2',
  ]);
  assert.deepEqual(p.summary, { create: 13, update: 0, delete: 0, replace: 0 });
});

test('the same input gives byte-identical JSON', () => {
  assert.equal(JSON.stringify(plan()), JSON.stringify(plan()));
});
