// The probe script itself: shellcheck-clean, sent whole despite tools that read stdin, its per-boot
// cache of nftables, and run for real over SSH against a test host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROBE_SCRIPT, probeInput } from '../../src/capabilities/probe-script.js';
import { collectCapabilities, probeHost } from '../../src/capabilities/collect.js';
import { capabilitiesProblems } from '../../src/capabilities/validate.js';
import { connectHost } from '../../src/ssh/session.js';
import { startTestSshd, type TestSshd } from '../ssh/sshd-fixture.js';
import { shTrusted } from '../../src/shell/quote.js';

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

test('a tool in the probe that reads stdin cannot eat the rest of it (the shell reads the script from stdin)', () => {
  // The rest is long, so the shell has not read all of it when `cat` runs.
  const padding = Array.from({ length: 400 }, (_, i) => `# ${i} ${'x'.repeat(70)}`).join('\n');
  const r = spawnSync('sh', ['-s'], {
    input: probeInput(shTrusted(`echo 'probe 1'\ncat >/dev/null\n${padding}\necho end`)),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'probe 1\nend\n');
});

test('nftables is cached per boot only when it works; a no is tested again', {
  skip: process.getuid?.() === 0 ? false : 'needs root (a private mount and network namespace)',
}, () => {
  // The probe runs in its own mount and network namespace (its throwaway links and its cache,
  // on a tmpfs over /run, go with it), with a stand-in nft first on PATH that logs its calls.
  const dir = mkdtempSync(join(tmpdir(), 'tvd-probe-nft-'));
  try {
    writeFileSync(join(dir, 'probe.sh'), PROBE_SCRIPT);
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'nft'), `#!/bin/sh\necho call >>${dir}/calls\nexit "$(cat ${dir}/rc)"\n`);
    chmodSync(join(dir, 'bin', 'nft'), 0o755);
    // Each step: the exit code nft gives, then "mech nftables N" and nft's calls in that probe.
    // brnf: the namespace's bridge-nf-call-* settings (where br_netfilter is in the kernel), which
    // decide whether the probe reads the firewall too.
    const runs = (rcs: number[], brnf = 0) => {
      const steps = rcs.map(
        (rc) =>
          `echo ${rc} >${dir}/rc; : >${dir}/calls; PATH=${dir}/bin:$PATH sh ${dir}/probe.sh | grep '^mech nftables'; wc -l <${dir}/calls; grep -c nftables /run/tvd/probe.cache || :`,
      );
      const settings = `for f in /proc/sys/net/bridge/bridge-nf-call-*; do if [ -e "$f" ]; then echo ${brnf} >"$f"; fi; done`;
      const r = spawnSync('unshare', ['-m', '-n', 'sh', '-c', `mount -t tmpfs tmpfs /run && ${settings} && ${steps.join(' && ')}`], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim().split('\n');
    };
    // A yes is taken once, in the per-boot tests, and then read from the cache.
    assert.deepEqual(runs([0, 0]), ['mech nftables 1', '1', '1', 'mech nftables 1', '0', '1']);
    // A no is not cached: it is taken on every probe, and a yes that follows is believed.
    assert.deepEqual(runs([1, 1, 0]), ['mech nftables 0', '1', '0', 'mech nftables 0', '1', '0', 'mech nftables 1', '1', '0']);
    // With a bridge-nf-call setting on, the forward-hook chains are read: one nft more per probe
    // (a list of chains, empty here, so no table is listed), and no iptables for tables not there.
    if (spawnSync('unshare', ['-n', 'test', '-e', '/proc/sys/net/bridge/bridge-nf-call-iptables']).status === 0) {
      assert.deepEqual(runs([0, 0], 1), ['mech nftables 1', '2', '1', 'mech nftables 1', '1', '1']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
