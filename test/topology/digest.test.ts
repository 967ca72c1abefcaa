import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, topologyDigest } from '../../src/topology/digest.js';
import { checkSources } from '../../src/topology/load.js';
import { BASE } from './helpers.js';

test('canonical JSON sorts keys at every level and keeps list order', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: null } }), '{"a":{"c":null,"d":[2,1]},"b":1}');
  assert.equal(canonicalJson({ a: undefined, b: 'x' }), '{"b":"x"}');
});

test('the digest ignores formatting, comments and key order, and changes with the data', () => {
  const a = checkSources([{ file: 'a.yaml', text: BASE }]);
  const reordered = BASE.split('\n').slice(1).join('\n') + '\n# same data\nversion: 1\n';
  const b = checkSources([{ file: 'b.yaml', text: reordered }]);
  const c = checkSources([{ file: 'c.yaml', text: BASE.replace('memory: 128', 'memory: 256') }]);
  assert.ok(a.ok && b.ok && c.ok);
  assert.equal(a.digest, b.digest);
  assert.notEqual(a.digest, c.digest);
  assert.equal(a.digest, topologyDigest(a.topology));
  assert.match(a.digest, /^sha256:[0-9a-f]{64}$/);
});
