// Data paths to line:col: for a missing key the parent map, for an unknown key the key itself,
// for a list element the element, for a value the value (or its key when it is empty).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWithPositions, positionOf } from '../../src/topology/positions.js';
import { checkSources } from '../../src/topology/load.js';

const TEXT = `# a comment
version: 1
tvds:
  web:
    vlan: 101
    subnet:
  db: {vni: 7, subnet: 198.19.2.0/24}
flows:
  - from: web
    to: db
  - {between: [web, db], connection: open}
anchors:
  base: &b {host: h1}
  vm: *b
`;
const p = parseWithPositions(TEXT);
const at = (path: (string | number)[], where?: 'key' | 'value') => {
  const { line, col } = positionOf(p, path, where);
  return `${line}:${col}`;
};

test('values, keys and list elements', () => {
  assert.equal(at(['tvds', 'web', 'vlan']), '5:11');
  assert.equal(at(['tvds', 'web', 'vlan'], 'key'), '5:5');
  assert.equal(at(['tvds', 'db', 'vni']), '7:13');
  assert.equal(at(['tvds', 'db', 'subnet'], 'key'), '7:16');
  assert.equal(at(['flows', 0]), '9:5');
  assert.equal(at(['flows', 1, 'between', 1]), '11:21');
  assert.equal(at(['version']), '2:10');
});

test('an empty value points at its key; a missing key at the parent map; the root at its first key', () => {
  assert.equal(at(['tvds', 'web', 'subnet']), '6:5');
  assert.equal(at(['tvds', 'web', 'gateway']), '5:5');
  assert.equal(at(['tvds', 'db', 'gateway']), '7:7');
  assert.equal(at(['flows', 0, 'connection']), '9:5');
  assert.equal(at(['flows', 7]), '9:3');
  assert.equal(at([]), '2:1');
});

test('a path through an alias resolves to the anchored node', () => {
  assert.equal(at(['anchors', 'vm', 'host']), '13:19');
});

test('syntax errors carry a position; only the first is reported', () => {
  const bad = parseWithPositions('a: 1\nb: [1, 2\nc: 3\n');
  assert.equal(bad.errors.length, 1);
  assert.ok(bad.errors[0].line >= 2);
});

test('problems are sorted by position, whatever check found them', () => {
  const r = checkSources([
    {
      file: 't.yaml',
      text: 'version: 1\ntvds:\n  a: {vlan: 9999}\n  b: {vlan: 5, subnet: 198.19.1.1/24}\n  c: {vlan: 5, color: red}\n',
    },
  ]);
  assert.ok(!r.ok);
  const lines = r.diagnostics.map((d) => [d.line, d.col]);
  assert.deepEqual(
    lines,
    [...lines].sort((x, y) => x[0] - y[0] || x[1] - y[1]),
  );
  assert.equal(r.diagnostics.length, 4);
});
