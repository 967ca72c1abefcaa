// tvd plan, show and apply as a user runs them, without hosts: from capability files, with
// --refresh=false. The plan JSON on invalid input, the apply hint, show PLAN, and the errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { tvd } from '../support/tvd-cli.js';
import { caps, webDb } from '../plan/fixtures.js';
import type { Topology } from '../../src/topology/schema.js';

function workspace(t: Topology = webDb()): { dir: string; file: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-plan-cli-'));
  mkdirSync(join(dir, 'caps'));
  for (const [h, spec] of Object.entries(t.hosts ?? {}))
    writeFileSync(join(dir, 'caps', `${h}.json`), JSON.stringify(caps(h, spec.address)));
  const file = join(dir, 'topology.yaml');
  writeFileSync(file, yaml.dump(t));
  return { dir, file, args: ['--capabilities', join(dir, 'caps'), '--refresh=false', '--state', join(dir, 'state.json')] };
}

test('plan --json on an invalid topology prints a plan whose errors say where; one cause, one error', async () => {
  const t = webDb();
  t.tvds.db.subnet = '198.19.41.0/33';
  const w = workspace(t);
  try {
    const r = await tvd(['plan', w.file, '--json', ...w.args]);
    assert.equal(r.code, 1);
    const p = JSON.parse(r.stdout) as {
      formatVersion: number;
      actions: unknown[];
      errors: { code: string; file: string; line: number; col: number; path: string; message: string }[];
    };
    assert.equal(p.formatVersion, 1);
    assert.deepEqual(p.actions, []);
    assert.deepEqual(
      p.errors.map((e) => [e.code, e.path]),
      [['topology', 'tvds.db.subnet']],
      'the invalid subnet is not also a missing one',
    );
    assert.ok(p.errors[0].line > 0 && p.errors[0].col > 0 && p.errors[0].file === w.file);
    assert.match(r.stderr, /topology\.yaml:\d+:\d+: tvds\.db\.subnet: '198\.19\.41\.0\/33' is not valid/, 'people still read it on stderr');
  } finally {
    rmSync(w.dir, { recursive: true, force: true });
  }
});

test('a YAML syntax error shows the lines around it with a caret; long error lists stop at 50', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-errors-'));
  try {
    const bad = join(dir, 'syntax.yaml');
    writeFileSync(bad, 'version: 1\ntvds:\n  web: {subnet: 198.19.1.0/24\nhosts: {}\n');
    const r = await tvd(['validate', bad]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /syntax\.yaml:4:1: .*\n {2}2 \| tvds:\n {2}3 \| {3}web: \{subnet: 198\.19\.1\.0\/24\n {2}4 \| hosts: \{\}\n {4}\| \^\n/,
    );
    const many = join(dir, 'many.yaml');
    const vms = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`v${i}`, { host: 'nowhere', memory: 128, nics: [{ tvd: 'web' }] }]),
    );
    writeFileSync(many, yaml.dump({ version: 1, tvds: { web: {} }, vms }));
    const m = await tvd(['validate', many]);
    assert.equal(m.stderr.split('\n').filter((l) => /^.*many\.yaml:\d+:\d+: /.test(l)).length, 50);
    assert.match(m.stderr, /^\.\.\. and 10 more problems \(validate --json lists them all\)$/m);
    assert.match(m.stderr, /^60 problems found\.$/m);
    const j = await tvd(['plan', many, '--json', '--state', join(dir, 's.json')]);
    assert.equal((JSON.parse(j.stdout) as { errors: unknown[] }).errors.length, 60, 'the JSON has them all');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plan --out: the apply hint repeats --state, --known-hosts and --identity; show PLAN prints what plan did', async () => {
  const w = workspace();
  try {
    const planFile = join(w.dir, 'tvd.plan');
    const kh = join(w.dir, 'known hosts');
    const r = await tvd(['plan', w.file, ...w.args, '--out', planFile, '--known-hosts', kh, '--identity', '/keys/ci']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stdout.endsWith(`run:\n  tvd apply ${planFile} --state ${join(w.dir, 'state.json')} --known-hosts '${kh}' --identity /keys/ci\n`),
      r.stdout.slice(-300),
    );
    const shown = await tvd(['show', planFile]);
    assert.equal(shown.code, 0, shown.stderr);
    const body = r.stdout.slice(0, r.stdout.indexOf('\nSaved the plan'));
    assert.equal(shown.stdout, `Saved plan ${planFile}, made against state serial 0:\n\n${body}`);
    const explained = await tvd(['show', planFile, '--explain']);
    assert.match(explained.stdout, /node-1 - node-2: VXLAN \(VNI \d+\), because:?/);
    assert.equal(JSON.parse((await tvd(['show', planFile, '--json'])).stdout).formatVersion, 1);
    const notPlan = await tvd(['show', w.file]);
    assert.equal(notPlan.code, 1);
    assert.match(notPlan.stderr, /not a saved plan/);
  } finally {
    rmSync(w.dir, { recursive: true, force: true });
  }
});

test('apply of a missing plan file says it is missing, not that it needs --auto-approve', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-apply-missing-'));
  try {
    const r = await tvd(['apply', join(dir, 'nope.plan'), '--state', join(dir, 's.json')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nope\.plan: no such file/);
    assert.doesNotMatch(r.stderr, /auto-approve/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tvd show groups the state by host, whatever order the applies recorded it in', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-show-'));
  try {
    const state = join(dir, 'state.json');
    const r = (host: string, type: string, name: string) => ({ host, type, name, attrs: {}, status: 'applied' });
    writeFileSync(
      state,
      JSON.stringify({
        formatVersion: 1,
        lineage: 'l',
        serial: 3,
        resources: [r('h2', 'vm', 'b'), r('h1', 'vm', 'a'), r('h2', 'proxy', 'h2'), r('h1', 'proxy', 'h1'), r('h2', 'vswitch', 'web')],
        allocations: { tvdIds: {}, vlans: {}, transits: {} },
      }),
    );
    const s = await tvd(['show', '--state', state]);
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(
      s.stdout.split('\n').filter((l) => l.startsWith('# host')),
      ['# host h1', '# host h2'],
    );
    assert.match(s.stdout, /# host h2\n {2}h2\/proxy\/h2\n {2}h2\/vswitch\/web\n {2}h2\/vm\/b\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hosts may be DNS names; a mistyped address gets a host address example, not a TVD one', async () => {
  const t = webDb();
  t.hosts!['node-1'].address = 'dom0-a.example.net';
  const w = workspace(t);
  try {
    assert.equal((await tvd(['validate', w.file])).code, 0);
    const bad = structuredClone(t);
    bad.hosts!['node-2'].address = '198.18.9.300';
    writeFileSync(w.file, yaml.dump(bad));
    const r = await tvd(['validate', w.file]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /hosts\.node-2\.address: '198\.18\.9\.300' is not valid: it must be an IPv4 address or a DNS name where SSH reaches the Dom0, like 198\.18\.0\.11 or dom0-a\.example\.net/,
    );
  } finally {
    rmSync(w.dir, { recursive: true, force: true });
  }
});

test('plan --json when a host refuses: still a plan, its error in errors', async () => {
  const t = webDb();
  for (const h of Object.values(t.hosts!)) Object.assign(h, { address: '127.0.0.1', port: 1 });
  t.hosts!['node-2'].port = 2;
  const w = workspace(t);
  try {
    const r = await tvd([
      'plan',
      w.file,
      '--json',
      '--state',
      join(w.dir, 'state.json'),
      '--known-hosts',
      join(w.dir, 'kh'),
      '--connect-timeout',
      '3',
    ]);
    assert.equal(r.code, 1);
    const p = JSON.parse(r.stdout) as { errors: { code: string; message: string }[]; actions: unknown[] };
    assert.deepEqual(p.actions, []);
    assert.equal(p.errors.length, 1);
    assert.equal(p.errors[0].code, 'refused');
    assert.match(p.errors[0].message, /host node-1 \(127\.0\.0\.1:1\): connection refused/);
  } finally {
    rmSync(w.dir, { recursive: true, force: true });
  }
});
