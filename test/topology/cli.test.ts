// The built CLI, as users and CI run it: exit codes, output streams, no stack traces, --json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.js';
import { TVD_MAIN } from '../support/tvd-cli.js';

const STACK = /^\s+at .*:\d+:\d+/m;

function tvd(...args: string[]) {
  const r = spawnSync(process.execPath, [TVD_MAIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('validate: a valid example exits 0 with a one-line summary on stdout', () => {
  const r = tvd('validate', 'examples/paper-figure-1');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'Valid: 3 TVDs, 5 flows, 2 hosts, 5 VMs.\n');
  assert.equal(r.err, '');
});

test('validate: a broken topology exits 1 with every problem as file:line:col: path: message on stderr', () => {
  const r = tvd('validate', 'test/fixtures/invalid/many-errors.yaml');
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 8);
  assert.equal(
    lines[0],
    'test/fixtures/invalid/many-errors.yaml:4:21: tvds.finance.subnet: 198.19.1.128/25 overlaps tvds.hr.subnet (198.19.1.0/24); TVD subnets must not overlap',
  );
  for (const l of lines.slice(0, 7)) assert.match(l, /^test\/fixtures\/invalid\/many-errors\.yaml:\d+:\d+: \S+: .+/);
  assert.equal(lines[7], '7 problems found.');
  assert.doesNotMatch(r.err, STACK);
});

test('validate --json: [] when valid, [{file, line, col, path, message}] when not; exit codes as without', () => {
  const ok = tvd('validate', 'examples/single-host', '--json');
  assert.equal(ok.code, 0);
  assert.deepEqual(JSON.parse(ok.out), []);
  const bad = tvd('validate', 'test/fixtures/invalid/unknown-host.yaml', '--json');
  assert.equal(bad.code, 1);
  assert.deepEqual(JSON.parse(bad.out), [
    {
      file: 'test/fixtures/invalid/unknown-host.yaml',
      line: 6,
      col: 11,
      path: 'vms.w1.host',
      message: "no host named 'nowhere'; define it under 'hosts'",
      code: 'references',
      endLine: 6,
      endCol: 18,
    },
  ]);
});

test('validate: unreadable input, syntax errors and alias bombs are one clean line, never a stack trace', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tvd-cli-'));
  try {
    const missing = tvd('validate', join(tmp, 'nope.yaml'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.yaml: cannot read: no such file or folder\n/);
    for (const name of ['syntax-error', 'alias-bomb', 'tab-indent', 'duplicate-key', 'empty-file']) {
      const r = tvd('validate', `test/fixtures/invalid/${name}.yaml`);
      assert.equal(r.code, 1, name);
      assert.doesNotMatch(r.err, STACK, name);
      assert.match(r.err, new RegExp(`^test/fixtures/invalid/${name}\\.yaml:\\d+:\\d+: `), name);
    }
    writeFileSync(join(tmp, 'deep.yaml'), 'x: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n');
    const deep = tvd('validate', join(tmp, 'deep.yaml'));
    assert.equal(deep.code, 1);
    assert.doesNotMatch(deep.err, STACK);
    const noArg = tvd('validate');
    assert.equal(noArg.code, 1);
    assert.doesNotMatch(noArg.err, STACK);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('validate is listed by tvd --help, and --no-color is accepted', () => {
  assert.match(tvd('--help').out, /^\s+validate\b/m);
  assert.equal(tvd('validate', 'examples/three-hosts', '--no-color').code, 0);
});
