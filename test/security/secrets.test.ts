// No secrets in what tvd writes or prints: plans (--json, saved), the state, `show`, and the
// --verbose output of successful and failing runs hold no private key material, nothing of the
// identity file, and no passphrase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON } from '../../lab/api.js';
import { writeTopology } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import { labPrefix, oneTvd, reportRow } from '../reliability/fault-kit.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = labPrefix('s7s');
const PASSPHRASE = 'correct-horse-battery-staple-7';

/** The strings no output may contain: markers, and every line of the key files' bodies. */
function secretsOf(keyFiles: string[]): string[] {
  const out = ['PRIVATE KEY', 'BEGIN OPENSSH', PASSPHRASE];
  for (const f of keyFiles) {
    for (const line of readFileSync(f, 'utf8').split('\n')) if (line.length >= 16 && !line.startsWith('-----')) out.push(line.trim());
  }
  return out;
}

test('plans, state, show and --verbose output hold no key material or passphrase', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 60_000,
}, async (t) => {
  await withLabRun({ hosts: 1, prefix: PREFIX }, async ({ lab, dir, state, args }) => {
    const path = writeTopology(dir, oneTvd(lab, 1));
    const locked = join(dir, 'id_locked');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-f', locked]);
    const secrets = secretsOf([lab.identity, locked]);
    assert.ok(secrets.length > 5);

    const saved = join(dir, 'tvd.plan');
    const outputs: [string, string][] = [];
    const run = async (what: string, argv: string[], code: number) => {
      const r = await tvd(argv);
      assert.equal(r.code, code, `${what}: ${r.stdout}${r.stderr}`);
      outputs.push([`${what} (stdout)`, r.stdout], [`${what} (stderr)`, r.stderr]);
    };
    await run('plan --json --verbose', ['plan', path, '--json', '--verbose', ...args], 0);
    await run('plan --out', ['plan', path, '--out', saved, '--verbose', ...args], 0);
    await run('apply PLAN --verbose', ['apply', saved, '--verbose', ...args], 0);
    await run('show --json', ['show', '--json', '--state', state], 0);
    // Failing runs print their errors (with --verbose, their stacks): still no secret.
    await run(
      'plan with a passphrase-protected key',
      ['plan', path, '--verbose', '--state', state, '--known-hosts', lab.knownHosts, '--identity', locked],
      1,
    );
    await run(
      'plan with a key that is not a key',
      ['plan', path, '--verbose', '--state', state, '--known-hosts', lab.knownHosts, '--identity', lab.knownHosts],
      1,
    );
    outputs.push(['the saved plan', readFileSync(saved, 'utf8')], ['the state', readFileSync(state, 'utf8')]);

    let checked = 0;
    for (const [what, text] of outputs) {
      for (const s of secrets) {
        checked++;
        assert.ok(
          !text.includes(s),
          `${what} contains ${s.startsWith('PRIVATE') || s === PASSPHRASE ? JSON.stringify(s) : 'a line of a private key file'}`,
        );
      }
    }
    assert.equal(statSync(saved).mode & 0o077, 0, 'the saved plan is readable by its owner only');
    reportRow(t, {
      area: 'attack',
      attacksRefused: outputs.length,
      note: `${outputs.length} outputs and files searched for ${secrets.length} secret strings`,
    });
    assert.ok(checked > 0);
  });
});
