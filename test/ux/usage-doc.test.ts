// docs/usage.md is generated from the commander definitions; it must equal a fresh generation,
// and every command's help must carry examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { usageMarkdown } from '../../scripts/gen-usage.js';
import { buildProgram } from '../../src/cli/program.js';
import { tvd } from '../support/tvd-cli.js';

const USAGE = fileURLToPath(new URL('../../../docs/usage.md', import.meta.url));

test('docs/usage.md equals a fresh generation from the CLI definitions', () => {
  assert.equal(readFileSync(USAGE, 'utf8'), usageMarkdown(), 'docs/usage.md is stale: run `npm run docs` and commit it');
});

test('every command and option appears in docs/usage.md', () => {
  const doc = readFileSync(USAGE, 'utf8');
  for (const c of buildProgram().commands) {
    assert.ok(doc.includes(`## tvd ${c.name()}\n`), `no section for ${c.name()}`);
    for (const o of c.options) assert.ok(doc.includes(o.flags.replace(/\|/g, '\\|')), `tvd ${c.name()} ${o.flags} is missing`);
  }
});

test('tvd --help and every subcommand help show examples', async () => {
  const top = await tvd(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Examples:\n {2}\$ tvd /);
  for (const c of buildProgram().commands) {
    const r = await tvd([c.name(), '--help']);
    assert.equal(r.code, 0, c.name());
    assert.match(r.stdout, /Examples:\n {2}\$ tvd /, `tvd ${c.name()} --help has no examples`);
  }
});

test('tvd --version prints the version of package.json', async () => {
  const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as {
    version: string;
  };
  const r = await tvd(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), version);
});

test('an unknown command suggests the nearest one and exits 1', async () => {
  const r = await tvd(['aply', 'topology.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown command 'aply'/);
  assert.match(r.stderr, /Did you mean apply\?/);
  const g = await tvd(['grahp']);
  assert.equal(g.code, 1);
  assert.match(g.stderr, /Did you mean graph\?/);
});
