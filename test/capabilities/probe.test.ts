// The probe script itself: shellcheck-clean, and run for real over SSH against a test host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROBE_SCRIPT } from '../../src/capabilities/probe-script.js';
import { collectCapabilities, probeHost } from '../../src/capabilities/collect.js';
import { capabilitiesProblems } from '../../src/capabilities/validate.js';
import { connectHost } from '../../src/ssh/session.js';
import { startTestSshd, type TestSshd } from '../ssh/sshd-fixture.js';

let s: TestSshd;
before(async () => {
  s = await startTestSshd({ mtu: 1450 });
});
after(async () => {
  await s?.stop();
});

function options() {
  const home = join(s.dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  const knownHostsPath = join(home, '.ssh', 'known_hosts');
  writeFileSync(knownHostsPath, `${s.address} ${s.hostKeyLine}\n`);
  return { home, knownHostsPath, identityPath: s.clientKey, agentSocket: null, connectTimeoutMs: 5_000 };
}

test('the probe script passes shellcheck as POSIX sh', () => {
  const file = join(s.dir, 'probe.sh');
  writeFileSync(file, PROBE_SCRIPT);
  execFileSync('shellcheck', ['-s', 'sh', file], { stdio: 'pipe' });
});

test('probing a real host: VXLAN yes, VLAN no (this kernel), the uplink with MTU and address', async () => {
  const conn = await connectHost({ name: 'probe-me', address: s.address, port: 22, user: 'root' }, options());
  try {
    const c = await probeHost(conn, () => new Date('2026-11-26T10:00:00.123Z'));
    assert.deepEqual(capabilitiesProblems(c), []);
    assert.equal(c.host, 'probe-me');
    assert.equal(c.collectedAt, '2026-11-26T10:00:00Z');
    assert.equal(c.mechanisms.vxlan, true);
    assert.equal(c.mechanisms.vlan, false);
    assert.equal(c.mechanisms.bridge, true);
    assert.equal(c.mechanisms.nftables, true);
    assert.deepEqual(c.uplinks, { eth0: { mtu: 1450, address: s.address } });
    assert.deepEqual(c.functional, ['ethernet', 'ip']);
    assert.deepEqual(c.properties['root-users'], { value: ['root'], evidence: 'introspection' });
    // The throwaway links are gone again.
    assert.doesNotMatch(s.nsExec('ip', ['-o', 'link', 'show']), /tvdp/);
  } finally {
    await conn.close();
  }
});

test('collecting several hosts: an unreachable one is one clear error, the others complete', async () => {
  const results = await collectCapabilities(
    [
      { name: 'good', address: s.address },
      { name: 'refused', address: s.address, port: 2999 },
      { name: 'also-good', address: s.address, port: 2222 },
    ],
    { ...options(), trustNewHosts: true },
  );
  assert.deepEqual(
    results.map((r) => [r.host, r.ok]),
    [
      ['good', true],
      ['refused', false],
      ['also-good', true],
    ],
  );
  const bad = results[1];
  assert.ok(!bad.ok && bad.error === `host refused (${s.address}:2999): connection refused`);
});
