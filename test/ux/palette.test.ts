// The palette writes SGR codes as chalk does at its level 1 (it replaced chalk, whose loading
// cost every command about 6 ms): a nested style's end reopens the outer one, a line break
// closes and reopens, empty text stays empty, and no colour means the text unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { palette } from '../../src/cli/palette.js';

const E = '\x1b[';

test('styles, nesting and line breaks as chalk level 1 writes them', () => {
  const c = palette(true);
  assert.equal(c.red('x'), `${E}31mx${E}39m`);
  assert.equal(c.bold('x'), `${E}1mx${E}22m`);
  assert.equal(c.dim(''), '');
  // A green word inside red text: red again after it.
  assert.equal(c.red(`a ${c.green('b')} c`), `${E}31ma ${E}32mb${E}39m${E}31m c${E}39m`);
  // bold and dim share their end code: bold inside dim, then dim again.
  assert.equal(c.dim(`a ${c.bold('b')} c`), `${E}2ma ${E}1mb${E}22m${E}2m c${E}22m`);
  // A style never spans a line break.
  assert.equal(c.yellow('a\nb\r\nc'), `${E}33ma${E}39m\n${E}33mb${E}39m\r\n${E}33mc${E}39m`);
  assert.equal(c.magenta(c.bold('x')), `${E}35m${E}1mx${E}22m${E}39m`);
});

test('no colour: every style returns its text', () => {
  const c = palette(false);
  for (const f of Object.values(c)) assert.equal(f('a\nb'), 'a\nb');
});
