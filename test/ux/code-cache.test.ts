// The CLI bundle runs with the V8 code cache the build trained (src/cli/bundle-loader.ts,
// scripts/train-code-cache.ts): V8 takes the shipped cache, and a cache that does not fit (another
// build's, a damaged file, none at all) changes nothing but the time: the same output, the same exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheFileBytes, loadBundle } from '../../src/cli/bundle-loader.js';
import { TVD_MAIN } from '../support/tvd-cli.js';

const BIN = dirname(TVD_MAIN);
const FIG1 = fileURLToPath(new URL('../../../examples/paper-figure-1/topology.yaml', import.meta.url));

test('V8 takes the code cache the build wrote for the bundle', () => {
  assert.equal(loadBundle(join(BIN, 'tvd.cjs'), join(BIN, 'tvd.cache')).cacheUsed, true);
});

test('a code cache that does not fit the bundle, or none, changes nothing but the time', () => {
  const run = (main: string, args: string[]) => {
    const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  // A copy of the build inside dist/ (ignored by git), so that node_modules resolve as from dist/.
  const dir = mkdtempSync(join(BIN, '..', '..', '.test-code-cache-'));
  try {
    // The package root is three levels above the launcher (src/cli/package-files.ts).
    const bin = join(dir, 'dist', 'bin', 'tvd');
    cpSync(BIN, bin, { recursive: true });
    cpSync(join(BIN, '..', '..', '..', 'package.json'), join(dir, 'package.json'));
    cpSync(join(BIN, '..', '..', '..', 'schemas'), join(dir, 'schemas'), { recursive: true });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\ntvds: {a: {x: 1}}\n');
    const commands = [['--version'], ['validate', FIG1], ['validate', bad], ['graph', FIG1]];
    const expected = commands.map((args) => run(TVD_MAIN, args));
    assert.deepEqual(
      expected.map((e) => e.status),
      [0, 0, 1, 0],
    );
    const shipped = readFileSync(join(BIN, 'tvd.cache'));
    const damaged = Buffer.from(shipped);
    for (let i = 64; i < damaged.length; i += 997) damaged[i] ^= 0xff;
    const caches: [string, Buffer | undefined][] = [
      ['damaged', damaged],
      ['cut short', shipped.subarray(0, shipped.length >> 1)],
      // Another build's: a bundle of the same length but another text, and its digest.
      [
        'of another bundle',
        cacheFileBytes(Buffer.from(readFileSync(join(BIN, 'tvd.cjs'), 'utf8').replace('tvd', 'TVD')), shipped.subarray(32)),
      ],
      ['none', undefined],
    ];
    for (const [what, data] of caches) {
      rmSync(join(bin, 'tvd.cache'), { force: true });
      if (data) writeFileSync(join(bin, 'tvd.cache'), data);
      assert.equal(loadBundle(join(bin, 'tvd.cjs'), join(bin, 'tvd.cache')).cacheUsed, false, what);
      for (const [i, args] of commands.entries())
        assert.deepEqual(run(join(bin, 'main.js'), args), expected[i], `${what}: tvd ${args.join(' ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
