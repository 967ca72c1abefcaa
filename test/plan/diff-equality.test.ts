// changedKeys compares attributes as JSON (key order and undefined-valued keys do not count);
// its fast structural path must agree with the canonical text it short-cuts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedKeys } from '../../src/plan/diff.js';

test('changedKeys: key order and undefined keys do not count; values, lengths and types do', () => {
  assert.deepEqual(changedKeys({ a: { x: 1, y: [1, { z: 2, w: 3 }] } }, { a: { y: [1, { w: 3, z: 2 }], x: 1 } }), []);
  assert.deepEqual(changedKeys({ a: { x: 1, u: undefined } }, { a: { x: 1 } }), []);
  assert.deepEqual(changedKeys({ a: 1, b: undefined }, { a: 1 }), []);
  assert.deepEqual(changedKeys({ a: [1, 2] }, { a: [1, 2, 3] }), ['a']);
  assert.deepEqual(changedKeys({ a: { x: 1 } }, { a: { x: 1, y: 0 } }), ['a']);
  assert.deepEqual(changedKeys({ a: '1' }, { a: 1 }), ['a']);
  assert.deepEqual(changedKeys({ a: [] }, { a: {} }), ['a']);
  assert.deepEqual(changedKeys({ a: null }, { a: {} }), ['a']);
  assert.deepEqual(changedKeys({ b: 1 }, { a: 1 }), ['a', 'b']);
  assert.deepEqual(changedKeys(null, { a: 1 }), ['a']);
  // Odd values are left to the canonical text: NaN and null both print as null.
  assert.deepEqual(changedKeys({ a: [NaN] }, { a: [null] }), []);
});
