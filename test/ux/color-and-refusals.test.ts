// Colour follows NO_COLOR, FORCE_COLOR and --no-color; and a run
// that cannot ask is refused before it touches anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caps } from '../plan/fixtures.js';
import { tvd } from '../support/tvd-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIG1 = join(ROOT, 'examples/paper-figure-1/topology.yaml');
const ESC = '\x1b[';

function setup(dir: string) {
  const capsDir = join(dir, 'caps');
  mkdirSync(capsDir);
  writeFileSync(join(capsDir, 'h1.json'), JSON.stringify(caps('h1', '198.18.0.11')));
  writeFileSync(join(capsDir, 'h2.json'), JSON.stringify(caps('h2', '198.18.0.12')));
  const state = join(dir, 'state.json');
  writeFileSync(
    state,
    JSON.stringify({
      formatVersion: 1,
      lineage: 'ux-lineage',
      serial: 3,
      resources: [
        { host: 'h1', type: 'vswitch', name: 'alpha', attrs: {}, status: 'applied' },
        { host: 'h1', type: 'vm', name: 'alpha-1', attrs: {}, status: 'tainted' },
      ],
      allocations: { tvdIds: {}, vlans: {}, transits: {} },
    }),
  );
  return { capsDir, state };
}

test('NO_COLOR (and --no-color) give no escape codes in plan, validate, show and graph --matrix; FORCE_COLOR alone gives them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-color-'));
  try {
    const { capsDir, state } = setup(dir);
    // A fresh state for plan, so it has actions to colour.
    const commands: [string, string[]][] = [
      ['plan', ['plan', FIG1, '--capabilities', capsDir, '--refresh=false', '--state', join(dir, 'fresh.json')]],
      ['validate', ['validate', FIG1]],
      ['show', ['show', '--state', state]],
      ['graph --matrix', ['graph', FIG1, '--matrix']],
    ];
    for (const [name, args] of commands) {
      const forced = await tvd(args, { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
      assert.equal(forced.code, 0, `${name}: ${forced.stderr}`);
      if (name !== 'validate')
        assert.ok(forced.stdout.includes(ESC), `${name}: FORCE_COLOR=1 should colour (else this test proves nothing)`);

      const noColor = await tvd(args, { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
      assert.equal(noColor.code, 0, `${name}: ${noColor.stderr}`);
      assert.ok(!noColor.stdout.includes(ESC) && !noColor.stderr.includes(ESC), `${name}: NO_COLOR must win over FORCE_COLOR`);

      const flag = await tvd([...args, '--no-color'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
      assert.equal(flag.code, 0, `${name}: ${flag.stderr}`);
      assert.ok(!flag.stdout.includes(ESC) && !flag.stderr.includes(ESC), `${name}: --no-color must win over FORCE_COLOR`);

      // Piped and nothing said: no colour either.
      const piped = await tvd(args, { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } });
      assert.ok(!piped.stdout.includes(ESC), `${name}: a pipe gets no colour`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('apply and destroy without --auto-approve, not at a terminal: refused with a clear message, nothing touched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-refuse-'));
  try {
    const state = join(dir, 'state.json');
    for (const [verb, extra] of [
      ['apply', []],
      ['destroy', []],
      ['apply', ['--json']],
      ['destroy', ['--json']],
    ] as const) {
      const r = await tvd([verb, FIG1, '--state', state, ...extra]);
      assert.equal(r.code, 1, `${verb} ${extra.join(' ')}`);
      assert.match(
        r.stderr,
        new RegExp(`^Error: tvd ${verb}${extra.length ? ' --json' : ' is not at a terminal, so it'} cannot ask: pass --auto-approve`),
      );
      assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
      assert.equal(r.stdout, '');
      assert.ok(!existsSync(state) && !existsSync(`${state}.lock`), 'no state or lock was written');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
