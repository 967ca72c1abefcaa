// The refresh's one script (the probe, then the observation, on one channel) reads a host exactly
// as the two scripts do alone, on a real sshd; and its output splits where the observation starts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFRESH_SCRIPT, refreshScript, splitRefreshOutput } from '../../src/refresh/refresh-script.js';
import { readHost, type HostReading } from '../../src/refresh/read-hosts.js';
import { connectHost } from '../../src/ssh/session.js';
import { startTestSshd, type TestSshd } from '../ssh/sshd-fixture.js';
import { shTrusted } from '../../src/shell/quote.js';

test('the output splits at the line that starts the observation', () => {
  const probe = 'probe 1\nuid 0\nlink observe 3\nend\n';
  const observe = 'observe 3\nlinks -\nend\n';
  assert.deepEqual(splitRefreshOutput(probe + observe), { probe, observe });
  // A probe cut off early still leaves the observation whole, and the reverse.
  assert.deepEqual(splitRefreshOutput('probe 1\nuid 0\n' + observe), { probe: 'probe 1\nuid 0\n', observe });
  assert.deepEqual(splitRefreshOutput(observe), { probe: '', observe });
  assert.deepEqual(splitRefreshOutput(probe), { probe, observe: '' });
  assert.deepEqual(splitRefreshOutput(''), { probe: '', observe: '' });
});

test('a tool in the probe that reads stdin cannot eat the observation (the shell reads the script from stdin)', () => {
  // The observation starts with a long comment, so the shell has not read all of it when `cat` runs.
  const padding = Array.from({ length: 400 }, (_, i) => `# ${i} ${'x'.repeat(70)}`).join('\n');
  const script = refreshScript(shTrusted(`echo 'probe 1'\ncat >/dev/null\necho end`), shTrusted(`${padding}\necho 'observe 3'\necho end`));
  const r = spawnSync('sh', ['-s'], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(splitRefreshOutput(r.stdout), { probe: 'probe 1\nend\n', observe: 'observe 3\nend\n' });
});

let s: TestSshd;
before(async () => {
  s = await startTestSshd();
});
after(async () => {
  await s?.stop();
});

test('the refresh script passes shellcheck as POSIX sh', () => {
  const file = join(s.dir, 'refresh.sh');
  writeFileSync(file, REFRESH_SCRIPT);
  execFileSync('shellcheck', ['-s', 'sh', file], { stdio: 'pipe' });
});

test('one channel reads what the probe and the observation read alone, also on a probe after boot', async () => {
  const home = join(s.dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  const knownHostsPath = join(home, '.ssh', 'known_hosts');
  writeFileSync(knownHostsPath, `${s.address} ${s.hostKeyLine}\n`);
  const conn = await connectHost(
    { name: 'h', address: s.address, port: 22, user: 'root' },
    { home, knownHostsPath, identityPath: s.clientKey, agentSocket: null, connectTimeoutMs: 5_000 },
  );
  const now = () => '2026-11-26T10:00:00Z';
  const read = (probe: boolean, observe: boolean): Promise<HostReading> => readHost(conn, 'h', { probe, observe, now });
  try {
    // No per-boot cache: the probe makes its throwaway links, which must be gone before the observation lists links.
    rmSync('/run/tvd/probe.cache', { force: true });
    const both = await read(true, true);
    assert.equal(both.error, undefined);
    assert.ok(both.capabilities && both.inventory && both.manifest);
    const names = Object.values(both.inventory.links)
      .flat()
      .map((l) => l.name);
    assert.ok(names.includes('eth0'), names.join(' '));
    assert.deepEqual(
      names.filter((n) => n.startsWith('tvdp')),
      [],
    );
    const alone = { ...(await read(false, true)), capabilities: (await read(true, false)).capabilities };
    assert.deepEqual(both, alone);
  } finally {
    await conn.close();
  }
});
