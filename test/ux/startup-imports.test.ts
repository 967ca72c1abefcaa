// What each command loads at start-up. The CLI checks documents with the validators generated at
// build time, so neither TypeBox nor Ajv's compiler may be loaded at run time (together ~0.1 s of
// every start, and the compilation another ~0.1 s); eemeli/yaml only when there is a problem to
// place; and a command's code is imported only when it runs, so --version and --help load none of it.
// `tvd` is one bundle (scripts/bundle-cli.ts) in which esbuild keeps each import() lazy, so the
// module graph is traced on the same CLI as separate modules (dist/src/cli/main.js), and the bundle
// itself for what it requires from outside (ssh2, eemeli/yaml) and for what it holds at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caps } from '../plan/fixtures.js';
import { TVD_MAIN } from '../support/tvd-cli.js';

const FIG1 = fileURLToPath(new URL('../../../examples/paper-figure-1/topology.yaml', import.meta.url));
const MODULES_MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

// ES modules pass through a resolve hook; CommonJS ones are in require.cache at exit.
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.TVD_TRACE_OUT, r.url + '\\n');
  return r;
}`;
const preload = (main: string) => `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});
const require = createRequire(${JSON.stringify(main)});
process.on('exit', () => appendFileSync(process.env.TVD_TRACE_OUT, Object.keys(require.cache).join('\\n') + '\\n'));`;

/** The files and packages a `tvd` run loaded, one per line: of the separate modules, or of the bundle. */
function loaded(args: string[], dir: string, main = MODULES_MAIN): string {
  const out = join(dir, 'trace.txt');
  writeFileSync(out, '');
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(preload(main))}`, main, ...args], {
    env: { ...process.env, NO_COLOR: '1', TVD_TRACE_OUT: out },
    cwd: dir,
    encoding: 'utf8',
  });
  const text = readFileSync(out, 'utf8');
  assert.ok(text.includes(main === MODULES_MAIN ? 'dist/src/cli/main.js' : 'dist/bin/tvd/main.js'), `the trace saw nothing: ${r.stderr}`);
  return text;
}

test('the bundle holds neither TypeBox nor the Ajv compiler, and requires ssh2 and eemeli/yaml only when used', () => {
  const meta = JSON.parse(readFileSync(join(dirname(TVD_MAIN), 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
  const inputs = Object.keys(meta.inputs).join('\n');
  assert.ok(inputs.includes('dist/src/cli/program.js'), 'meta.json lists no CLI sources');
  assert.ok(!inputs.includes('@sinclair/typebox'), 'the bundle holds TypeBox');
  assert.ok(!/ajv[/\\]dist[/\\](compile|core|2020)/.test(inputs), "the bundle holds Ajv's compiler");
  assert.ok(!/node_modules[/\\](yaml|ssh2)[/\\]/.test(inputs), 'eemeli/yaml and ssh2 are required at run time, not bundled');
  const dir = mkdtempSync(join(tmpdir(), 'tvd-startup-'));
  try {
    mkdirSync(join(dir, 'caps'));
    writeFileSync(join(dir, 'caps', 'h1.json'), JSON.stringify(caps('h1', '198.18.0.11')));
    writeFileSync(join(dir, 'caps', 'h2.json'), JSON.stringify(caps('h2', '198.18.0.12')));
    const files = loaded(['plan', FIG1, '--capabilities', 'caps', '--refresh=false', '--state', 'state.json'], dir, TVD_MAIN);
    assert.ok(!/node_modules[/\\](yaml|ssh2)[/\\]/.test(files), 'tvd plan --refresh=false from valid input requires eemeli/yaml or ssh2');
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\ntvds: {a: {x: 1}}\n');
    assert.match(loaded(['validate', 'bad.yaml'], dir, TVD_MAIN), /node_modules[/\\]yaml[/\\]/, 'a problem to place requires eemeli/yaml');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no command loads TypeBox or the Ajv compiler', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-startup-'));
  try {
    mkdirSync(join(dir, 'caps'));
    writeFileSync(join(dir, 'caps', 'h1.json'), JSON.stringify(caps('h1', '198.18.0.11')));
    writeFileSync(join(dir, 'caps', 'h2.json'), JSON.stringify(caps('h2', '198.18.0.12')));
    const runs = [
      ['--version'],
      ['validate', FIG1],
      ['plan', FIG1, '--capabilities', 'caps', '--refresh=false', '--state', 'state.json'],
      // Not at a terminal, it stops before it connects, but only once its code is loaded.
      ['apply', FIG1, '--state', 'state.json'],
      ['show', '--state', 'state.json'],
    ];
    for (const args of runs) {
      const files = loaded(args, dir);
      if (args[0] === 'plan') {
        // --refresh=false from capability files talks to no host: no SSH, nor the refresh's code.
        for (const m of ['node_modules/ssh2/', '/apply/read-hosts', '/apply/orphans', '/apply/drift'])
          assert.ok(!files.includes(m), `tvd plan --refresh=false loads ${m}`);
      }
      if (args[0] === 'validate' || args[0] === 'plan') {
        assert.ok(files.includes('schema-validator.js'), `tvd ${args[0]} did not check with the generated validator`);
        // eemeli/yaml places problems; valid input does without it (src/topology/yaml-library.ts).
        assert.ok(!/node_modules[/\\]yaml[/\\]/.test(files), `tvd ${args[0]} loads eemeli/yaml for valid input`);
      }
      assert.ok(!files.includes('@sinclair/typebox'), `tvd ${args[0]} loads TypeBox`);
      // The state is in a file here: neither the PostgreSQL backend nor its client is loaded.
      assert.ok(!/node_modules[/\\]pg[/\\]|postgres-backend/.test(files), `tvd ${args[0]} loads the PostgreSQL backend for a state file`);
      assert.ok(!/ajv[/\\]dist[/\\](compile|core|2020)/.test(files), `tvd ${args[0]} loads Ajv's compiler`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--version and --help load commander and the command definitions, nothing else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-startup-'));
  try {
    for (const args of [['--version'], ['--help'], ['plan', '--help']]) {
      const files = loaded(args, dir);
      for (const heavy of ['/cli/actions/', 'prepare-plan', '/topology/load', 'yaml', 'ssh2', 'ssh-config', 'chalk', 'ajv']) {
        assert.ok(!files.includes(heavy), `tvd ${args.join(' ')} loads ${heavy}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
