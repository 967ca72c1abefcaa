// The documented way to install tvd: `npm pack` in a checkout, then `npm install --global` of the
// tarball. Packed from this build and installed into a fresh prefix, the installed `tvd` runs
// from a clean folder: --version, validate, graph (the WebAssembly dependency), init (the schema).
// Its dependencies come from the npm registry (or npm's cache, --prefer-offline).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

test('npm pack, then npm install --global of the tarball: tvd runs from a clean folder', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-install-'));
  try {
    // --ignore-scripts: pack this build as it is (prepack would build it again).
    const name = npm(['pack', '--ignore-scripts', '--pack-destination', dir], ROOT).trim().split('\n').at(-1)!;
    const tarball = join(dir, name);
    assert.ok(existsSync(tarball), name);
    const listing = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    assert.ok(
      ['main.js', 'tvd.cjs', 'tvd.cache'].every((f) => listing.includes(`package/dist/bin/tvd/${f}`)) &&
        listing.includes('package/schemas/topology.schema.json'),
      'the CLI (launcher, bundle and code cache) and its schema are packed',
    );
    assert.ok(
      !listing.some((f) => f.startsWith('package/test/') || f.endsWith('.ts') || f.endsWith('meta.json')),
      'no sources, tests or build metadata',
    );

    const prefix = join(dir, 'prefix');
    npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', tarball], dir);
    const bin = join(prefix, 'bin', 'tvd');
    // TypeBox only builds the schemas and validators: the installed tvd runs without it.
    assert.ok(existsSync(join(prefix, 'lib', 'node_modules', 'tvd', 'node_modules', 'ajv')), 'dependencies are installed');
    assert.ok(
      !existsSync(join(prefix, 'lib', 'node_modules', 'tvd', 'node_modules', '@sinclair', 'typebox')),
      'TypeBox is a devDependency',
    );
    const clean = join(dir, 'clean');
    mkdirSync(clean);
    const run = (args: string[]) => spawnSync(bin, args, { cwd: clean, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    const v = run(['--version']);
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout.trim(), version);
    // The README says this very way, with this version's file name.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.ok(
      readme.includes('npm ci && npm pack') && readme.includes(`npm install --global ./${name}`),
      'README: the install commands tested here',
    );
    copyFileSync(join(ROOT, 'examples', 'three-hosts', 'topology.yaml'), join(clean, 'topology.yaml'));
    const ok = run(['validate', 'topology.yaml']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^Valid: 3 TVDs, 2 flows, 3 hosts, 6 VMs\.$/m);
    // An invalid topology takes the other path (eemeli/yaml places the problem).
    writeFileSync(join(clean, 'bad.yaml'), 'version: 1\ntvds:\n  web: {vlan: 1}\nhosts: {}\nvms: {}\n');
    const bad = run(['validate', 'bad.yaml']);
    assert.equal(bad.status, 1, bad.stdout);
    assert.match(bad.stderr, /^bad\.yaml:3:\d+: /m);
    const svg = run(['graph', 'topology.yaml', '--out', 'topology.svg']);
    assert.equal(svg.status, 0, svg.stderr);
    assert.match(readFileSync(join(clean, 'topology.svg'), 'utf8'), /<svg\b/);
    mkdirSync(join(clean, 'new'));
    const init = spawnSync(bin, ['init'], { cwd: join(clean, 'new'), encoding: 'utf8' });
    assert.equal(init.status, 0, init.stderr);
    const starter = readFileSync(join(clean, 'new', 'topology.yaml'), 'utf8');
    const schema = /\$schema=(\S+)/.exec(starter)![1];
    assert.ok(existsSync(join(clean, 'new', schema)), `the modeline points at the installed schema: ${schema}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
