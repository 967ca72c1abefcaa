// A folder of YAML files is one topology, merged by top-level key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadTopology } from '../../src/topology/load.js';
import { formatDiagnostic } from '../../src/topology/diagnostic.js';
import { ROOT } from './helpers.js';

const F = join(ROOT, 'test/fixtures/folders');

test('a folder merges in file order (*.yaml and *.yml, nothing else) and gives the digest of the same data in one file', () => {
  const split = loadTopology(join(F, 'split'));
  const single = loadTopology(join(F, 'split.yaml'));
  assert.ok(split.ok && single.ok);
  assert.deepEqual(
    split.files.map((f) => f.slice(F.length + 1)),
    ['split/10-tvds.yaml', 'split/20-flows.yml', 'split/30-hosts.yaml'],
  );
  assert.deepEqual(split.topology, single.topology);
  assert.equal(split.digest, single.digest);
});

test('a name defined in two files is one error naming both places; other problems still show, in their file', () => {
  const dir = join(F, 'duplicate-name');
  const r = loadTopology(dir);
  assert.ok(!r.ok);
  const rel = (s: string) => s.split(dir + '/').join('');
  assert.deepEqual(
    r.diagnostics.map((d) => rel(formatDiagnostic(d))),
    [
      "b.yaml:3:3: tvds.web: 'web' is defined twice: here and at a.yaml:3:3; keep one",
      'b.yaml:5:5: flows[0]: contradicts an earlier flow: web -> db is closed here but open in the flow at a.yaml:5:5; keep one',
      "b.yaml:9:14: vms.v1.host: no host named 'h2'; did you mean 'h1'?",
    ],
  );
});

test('version must agree across files', () => {
  const dir = join(F, 'version-mismatch');
  const r = loadTopology(dir);
  assert.ok(!r.ok);
  assert.deepEqual(
    r.diagnostics.map((d) =>
      formatDiagnostic(d)
        .split(dir + '/')
        .join(''),
    ),
    ['b.yaml:1:10: version: differs from the version at a.yaml:1:10; all files must agree'],
  );
});

test('unreadable input is one clear line: missing path, empty folder, a file that is not UTF-8, no permission', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tvd-folders-'));
  try {
    const one = (p: string) => {
      const r = loadTopology(p);
      assert.ok(!r.ok);
      assert.equal(r.diagnostics.length, 1);
      return formatDiagnostic(r.diagnostics[0]);
    };
    assert.equal(one(join(tmp, 'nope.yaml')), `${join(tmp, 'nope.yaml')}: cannot read: no such file or folder`);
    mkdirSync(join(tmp, 'empty'));
    assert.equal(one(join(tmp, 'empty')), `${join(tmp, 'empty')}: no *.yaml or *.yml files in this folder`);
    writeFileSync(join(tmp, 'latin1.yaml'), Buffer.from([0x76, 0x65, 0x72, 0x3a, 0x20, 0xe9, 0x0a]));
    assert.equal(one(join(tmp, 'latin1.yaml')), `${join(tmp, 'latin1.yaml')}: not UTF-8 text`);
    writeFileSync(join(tmp, 'empty.yaml'), '');
    assert.equal(
      one(join(tmp, 'empty.yaml')),
      `${join(tmp, 'empty.yaml')}:1:1: the topology is empty; it needs at least 'version: 1' and 'tvds'`,
    );
    if (process.getuid?.() !== 0) {
      writeFileSync(join(tmp, 'secret.yaml'), 'version: 1\n');
      chmodSync(join(tmp, 'secret.yaml'), 0);
      assert.equal(one(join(tmp, 'secret.yaml')), `${join(tmp, 'secret.yaml')}: cannot read: permission denied`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
