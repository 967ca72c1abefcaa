// Diagnostics carry a code and a range, as eemeli/yaml's errors do: tools can tell one kind of
// mistake from another without reading English, and an editor can underline the whole value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSources } from '../../src/topology/load.js';

const check = (text: string) => {
  const r = checkSources([{ file: 't.yaml', text }]);
  assert.equal(r.ok, false);
  return r.ok ? [] : r.diagnostics;
};

const BASE = 'version: 1\ntvds:\n  web:\n    subnet: 198.18.10.0/24\n';

test('a schema mistake: its code, and the range of the value', () => {
  const [d] = check('version: 1\ntvds:\n  web:\n    subnet: 198.18.10.0/33\n');
  assert.equal(d.line, 4);
  assert.equal(d.col, 13);
  assert.equal(d.endLine, 4);
  assert.equal(d.endCol, 13 + '198.18.10.0/33'.length);
  assert.match(d.code ?? '', /^schema-|^addresses$/);
});

test('an unknown key: code unknown-key, the range of the key', () => {
  const [d] = check(`${BASE}    colour: red\n`);
  assert.equal(d.code, 'unknown-key');
  assert.deepEqual([d.line, d.col, d.endLine, d.endCol], [5, 5, 5, 11]);
});

test('a meaning check: the check that found it is the code', () => {
  const ds = check(
    `${BASE}hosts:\n  h1: { address: 198.18.0.11, uplink: eth0 }\nvms:\n  a: { host: h9, memory: 128, nics: [{ tvd: web }] }\n`,
  );
  const d = ds.find((x) => x.path === 'vms.a.host');
  assert.ok(d, JSON.stringify(ds));
  assert.equal(d.code, 'references');
  assert.deepEqual([d.line, d.col, d.endLine, d.endCol], [8, 14, 8, 16]);
});

test('YAML syntax and duplicate keys: eemeli/yaml codes in kebab case', () => {
  const [dup] = check(`${BASE}tvds:\n  x: {}\n`);
  assert.equal(dup.code, 'duplicate-key');
  const [bad] = check('version: 1\ntvds: [\n');
  assert.ok(bad.code && bad.code !== 'merge', bad.code);
});
