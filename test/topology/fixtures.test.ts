// The corpus of broken topologies: each test/fixtures/invalid/NAME.yaml must produce exactly the
// problems in NAME.expect, one `line:col: path: message` per line, in that order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTopology } from '../../src/topology/load.js';
import { formatDiagnostic } from '../../src/topology/diagnostic.js';
import { ROOT } from './helpers.js';

const DIR = join(ROOT, 'test/fixtures/invalid');
const names = readdirSync(DIR)
  .filter((n) => n.endsWith('.yaml'))
  .map((n) => n.slice(0, -'.yaml'.length))
  .sort();

test('the corpus has at least 30 broken topologies, each with its expectation', () => {
  assert.ok(names.length >= 30, `only ${names.length}`);
  for (const n of names) assert.ok(readdirSync(DIR).includes(`${n}.expect`), `${n}.expect is missing`);
});

for (const name of names) {
  test(`invalid/${name}`, () => {
    const file = join(DIR, `${name}.yaml`);
    const r = loadTopology(file);
    assert.equal(r.ok, false, 'it must be refused');
    if (r.ok) return;
    const got = r.diagnostics.map((d) => formatDiagnostic(d).slice(file.length + 1));
    const want = readFileSync(join(DIR, `${name}.expect`), 'utf8')
      .split('\n')
      .filter(Boolean);
    assert.deepEqual(got, want);
    for (const d of r.diagnostics) {
      assert.equal(d.file, file);
      assert.ok(d.line >= 1 && d.col >= 1, 'every problem has a position');
    }
  });
}
