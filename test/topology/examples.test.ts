// Every example validates, and its counts are what its README describes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadTopology } from '../../src/topology/load.js';
import { summary } from '../../src/cli/actions/validate.js';
import { ROOT } from './helpers.js';

const EXAMPLES = join(ROOT, 'examples');
const expected: Record<string, string> = {
  'single-host': 'Valid: 2 TVDs, 0 flows, 1 host, 3 VMs.',
  'paper-figure-1': 'Valid: 3 TVDs, 5 flows, 2 hosts, 5 VMs.',
  'three-hosts': 'Valid: 3 TVDs, 2 flows, 3 hosts, 6 VMs.',
};

test('the three examples exist, each with a topology.yaml and a README.md', () => {
  for (const name of Object.keys(expected)) {
    assert.ok(existsSync(join(EXAMPLES, name, 'topology.yaml')), name);
    assert.ok(existsSync(join(EXAMPLES, name, 'README.md')), name);
  }
});

// Folders without a topology (examples/ci: pipelines, examples/systemd: units) are not topologies.
for (const name of readdirSync(EXAMPLES)
  .sort()
  .filter((n) => existsSync(join(EXAMPLES, n, 'topology.yaml')))) {
  test(`examples/${name} validates`, () => {
    const r = loadTopology(join(EXAMPLES, name));
    assert.deepEqual(r.ok ? [] : r.diagnostics, []);
    if (!r.ok) return;
    if (expected[name]) assert.equal(summary(r.topology), expected[name]);
    assert.match(r.digest, /^sha256:[0-9a-f]{64}$/);
  });
}

test('paper-figure-1 encodes the paper matrix', () => {
  const r = loadTopology(join(EXAMPLES, 'paper-figure-1'));
  assert.ok(r.ok);
  const rule = new Map<string, string>();
  for (const f of r.topology.flows ?? []) {
    const pairs = f.between
      ? [
          [f.between[0], f.between[1]],
          [f.between[1], f.between[0]],
        ]
      : [[f.from!, f.to!]];
    for (const [a, b] of pairs) rule.set(`${a}>${b}`, f.connection);
  }
  const matrix = (a: string, b: string) => rule.get(`${a}>${b}`) ?? r.topology.defaults?.flow ?? 'closed';
  assert.equal(matrix('alpha', 'beta'), 'closed');
  assert.equal(matrix('beta', 'alpha'), 'closed');
  assert.equal(matrix('alpha', 'gamma'), 'controlled');
  assert.equal(matrix('gamma', 'alpha'), 'controlled');
  assert.equal(matrix('beta', 'gamma'), 'closed');
  assert.equal(matrix('gamma', 'beta'), 'controlled');
});

test('three-hosts: three hosts in two segments, an open and a controlled connection, every NIC addressed', () => {
  const r = loadTopology(join(EXAMPLES, 'three-hosts'));
  assert.ok(r.ok);
  const t = r.topology;
  assert.equal(new Set(Object.values(t.hosts ?? {}).map((h) => h.segment)).size, 2);
  assert.deepEqual((t.flows ?? []).map((f) => f.connection).sort(), ['controlled', 'open']);
  const perTvd = new Map<string, number>();
  for (const vm of Object.values(t.vms ?? {})) {
    assert.equal(vm.start, true);
    for (const nic of vm.nics) {
      assert.ok(nic.ip, 'every NIC has an ip');
      perTvd.set(nic.tvd, (perTvd.get(nic.tvd) ?? 0) + 1);
    }
  }
  for (const n of Object.keys(t.tvds)) assert.ok((perTvd.get(n) ?? 0) >= 2, `${n} has 2 VMs or more`);
});
