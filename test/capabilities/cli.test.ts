// `tvd capabilities FILE --out DIR` as a user runs it: a reachable and an unreachable host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { capabilitiesProblems } from '../../src/capabilities/validate.js';
import { startTestSshd, type TestSshd } from '../ssh/sshd-fixture.js';
import { TVD_MAIN } from '../support/tvd-cli.js';

let s: TestSshd;
before(async () => {
  s = await startTestSshd();
});
after(async () => {
  await s?.stop();
});

function run(args: string[], home: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1' };
  delete env.SSH_AUTH_SOCK;
  return spawnSync(process.execPath, [TVD_MAIN, ...args], { encoding: 'utf8', env, cwd: s.dir });
}

test('writes one schema-valid file per reachable host; an unreachable host is one line, exit 1', () => {
  const home = join(s.dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  const kh = join(s.dir, 'kh');
  writeFileSync(kh, `${s.address} ${s.hostKeyLine}\n`);
  const topo = join(s.dir, 'topology.yaml');
  writeFileSync(
    topo,
    `version: 1
tvds:
  web: { subnet: 198.19.20.0/24 }
hosts:
  h1: { address: ${s.address}, uplink: eth0 }
  h2: { address: ${s.address}, port: 2999, uplink: eth0 }
`,
  );
  const out = join(s.dir, 'caps');
  const r = run(['capabilities', topo, '--out', out, '--known-hosts', kh, '--identity', s.clientKey], home);
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(r.stderr.trim().split('\n'), [
    `Error: host h2 (${s.address}:2999): connection refused`,
    'Collected 1 of 2 hosts; 1 failed.',
  ]);
  assert.match(r.stdout, /^h1: ethernet\+ip \(bridge, vxlan, nftables(, wireguard-go)?\), Xen none -> .*caps\/h1\.json\n$/);
  assert.deepEqual(readdirSync(out), ['h1.json']);
  const caps = JSON.parse(readFileSync(join(out, 'h1.json'), 'utf8'));
  assert.deepEqual(capabilitiesProblems(caps), []);
  assert.equal(caps.mechanisms.vxlan, true);
  assert.equal(caps.mechanisms.vlan, false);

  // Without --known-hosts the (empty) ~/.ssh/known_hosts applies: refused, with the how-to.
  const r2 = run(['capabilities', topo, '--identity', s.clientKey, '--quiet'], home);
  assert.equal(r2.status, 1);
  assert.match(
    r2.stderr,
    new RegExp(`host h1 \\(${s.address.replace(/\./g, '\\.')}:22\\): host key is not known .*ssh-keyscan -p 22 -t ed25519`),
  );
  assert.equal(r2.stdout, '');
  assert.equal(existsSync(join(s.dir, '.tvd', 'capabilities', 'h1.json')), false);
});

test('an invalid topology changes nothing and names the file', () => {
  const topo = join(s.dir, 'bad.yaml');
  writeFileSync(topo, 'version: 1\ntvds: {}\nhosts:\n  h1: { address: 198.18.0.300, uplink: eth0 }\n');
  const r = run(['capabilities', topo], join(s.dir, 'home'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.yaml:4:\d+: hosts\.h1\.address/);
});

test('a capability file that cannot be written is one error line naming the host', () => {
  const home = join(s.dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  const kh = join(s.dir, 'kh2');
  writeFileSync(kh, `${s.address} ${s.hostKeyLine}\n`);
  const topo = join(s.dir, 'one.yaml');
  writeFileSync(topo, `version: 1\ntvds:\n  web: { subnet: 198.19.20.0/24 }\nhosts:\n  h1: { address: ${s.address}, uplink: eth0 }\n`);
  const blocker = join(s.dir, 'not-a-folder');
  writeFileSync(blocker, '');
  const r = run(['capabilities', topo, '--out', join(blocker, 'caps'), '--known-hosts', kh, '--identity', s.clientKey], home);
  assert.equal(r.status, 1);
  assert.deepEqual(r.stderr.trim().split('\n'), [
    `Error: host h1: cannot write its capability file in ${join(blocker, 'caps')} (ENOTDIR)`,
    'Collected 0 of 1 host; 1 failed.',
  ]);
});

test('--parallelism is checked as by every host-facing command, before any host is talked to', () => {
  const home = join(s.dir, 'home-par');
  mkdirSync(home, { recursive: true });
  const topo = join(s.dir, 'topology-par.yaml');
  writeFileSync(topo, `version: 1\ntvds:\n  web: { subnet: 198.19.20.0/24 }\nhosts:\n  h1: { address: ${s.address}, uplink: eth0 }\n`);
  const out = join(s.dir, 'caps-par');
  for (const bad of ['0', '257', 'many']) {
    const r = run(['capabilities', topo, '--out', out, '--parallelism', bad], home);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `Error: --parallelism ${bad}: expected a whole number from 1 to 256\n`);
    assert.equal(existsSync(out), false);
  }
});
