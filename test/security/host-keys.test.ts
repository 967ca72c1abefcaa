// Host keys through the tvd CLI, against a lab host's real sshd: an unknown host is refused unless
// --trust-new-hosts (which records its key); a changed key and a revoked key are refused loudly,
// even with that flag, and nothing reaches the host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON } from '../../lab/api.js';
import { writeTopology } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import { hostManifest, labPrefix, oneTvd, reportRow } from '../reliability/fault-kit.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = labPrefix('s7k');

test('host keys: unknown refused unless trusted, changed and revoked refused even then', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 60_000,
}, async (t) => {
  await withLabRun({ hosts: 1, prefix: PREFIX }, async ({ lab, dir }) => {
    const path = writeTopology(dir, oneTvd(lab, 1));
    const host = lab.hosts[0];
    const realLine = readFileSync(lab.knownHosts, 'utf8').trim();
    assert.ok(realLine.startsWith(`${host.address} ssh-ed25519 `));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'other')]);
    const otherKey = readFileSync(join(dir, 'other.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    const apply = (knownHosts: string, extra: string[] = []) =>
      tvd([
        'apply',
        path,
        '--auto-approve',
        '--state',
        join(dir, 'state.json'),
        '--identity',
        lab.identity,
        '--known-hosts',
        knownHosts,
        '--connect-timeout',
        '5',
        ...extra,
      ]);
    let refused = 0;
    const refusedWith = async (what: string, knownHosts: string, re: RegExp, extra: string[] = []) => {
      const before = existsSync(knownHosts) ? readFileSync(knownHosts, 'utf8') : undefined;
      const r = await apply(knownHosts, extra);
      assert.equal(r.code, 1, `${what}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, re, what);
      assert.match(r.stderr, new RegExp(`host ${host.name} \\(${host.address}:22\\)`), `${what}: the message names the host`);
      assert.match(r.stderr, /Nothing was changed/, what);
      assert.equal(existsSync(knownHosts) ? readFileSync(knownHosts, 'utf8') : undefined, before, `${what}: known_hosts untouched`);
      assert.equal(existsSync(join(dir, 'state.json')), false, `${what}: no state written`);
      assert.equal((await hostManifest(PREFIX, host.name)).size, 0, `${what}: nothing reached the host`);
      refused++;
    };

    // Unknown: refused, with the fingerprint and how to trust it.
    const empty = join(dir, 'kh-empty');
    await refusedWith(
      'unknown host',
      empty,
      /host key is not known \(ED25519 key SHA256:\S+, not in .*\)\. Check that fingerprint .*--trust-new-hosts/,
    );

    // Changed (someone else answers at that address): refused even with --trust-new-hosts.
    const changed = join(dir, 'kh-changed');
    writeFileSync(changed, `${host.address} ${otherKey}\n`);
    await refusedWith('changed key', changed, /host key changed: .*Someone may be intercepting the connection/);
    await refusedWith('changed key, --trust-new-hosts', changed, /host key changed/, ['--trust-new-hosts']);
    // A refused key is not "unreachable": --skip-unreachable does not go on without the host.
    await refusedWith('changed key, --skip-unreachable', changed, /host key changed/, ['--skip-unreachable']);

    // Revoked: refused even with --trust-new-hosts, even beside a plain line for the same key.
    const revoked = join(dir, 'kh-revoked');
    writeFileSync(revoked, `@revoked ${realLine}\n`);
    await refusedWith('revoked key', revoked, /host key is revoked/, ['--trust-new-hosts']);
    writeFileSync(revoked, `${realLine}\n@revoked ${realLine}\n`);
    await refusedWith('revoked key listed also as known', revoked, /host key is revoked/);

    // Trusted explicitly: the key is recorded, and the apply goes through.
    const fresh = join(dir, 'kh-fresh');
    const ok = await apply(fresh, ['--trust-new-hosts']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(readFileSync(fresh, 'utf8').trim(), realLine, 'the recorded line is the host key');
    const again = await apply(fresh);
    assert.equal(again.code, 0, 'a recorded host is known from then on');
    reportRow(t, { area: 'attack', attacksRefused: refused, note: 'unknown, changed and revoked host keys via the CLI' });
  });
});
