// The one quoting module: what it returns, and (at compile time) what it refuses. The lines
// marked @ts-expect-error are the proof that raw text cannot reach a script builder: if the
// types ever let a plain string through, the directive is unused and the build fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { sh, shBare, shComment, shGlob, shJoin, shQuote, shRaw, shTrimEnd, shTrusted, shWord, type Sh } from '../../src/shell/quote.js';
import { script } from '../../src/apply/render/script.js';
import { bare } from '../../src/apply/render/quote.js';
import { linkExists } from '../../src/apply/render/links.js';
import type { HostConnection } from '../../src/ssh/session.js';

const echoed = (text: Sh) => spawnSync('sh', ['-c', text], { encoding: 'utf8' }).stdout;

test('shQuote gives the shell back exactly the value, whatever it holds', () => {
  for (const v of ["it's", '$(id)', '`id`', 'a\nb', '"x"', '\\', '', ' lead', '*']) {
    assert.equal(echoed(sh`printf '%s' ${shQuote(v)}`), v);
  }
  assert.throws(() => shQuote('a\0b'), /NUL/);
});

test('sh puts in only what it is given, between literal parts kept as written', () => {
  const dev = shQuote('tvd 1');
  assert.equal(sh`ip link del dev ${dev} # ${3}`, "ip link del dev 'tvd 1' # 3");
  assert.equal(sh`a\tb`, 'a\tb', 'cooked, as an untagged template');
  assert.equal(shRaw`a\tb ${dev}`, "a\\tb 'tvd 1'", 'raw, as String.raw');
  assert.throws(() => sh`sleep ${Number.NaN}`, /NaN/);
  assert.throws(() => sh`sleep ${Number.POSITIVE_INFINITY}`, /Infinity/);
});

test('shBare keeps a word only when the shell reads it as it is', () => {
  assert.equal(shBare('/var/lib/tvd'), '/var/lib/tvd');
  for (const w of ['a b', '$x', "it's", 'a;b', '', '*', 'a\nb']) assert.throws(() => shBare(w), /not a bare shell word/);
  assert.throws(() => bare('int', '1 2'), /unsafe int/, 'bare checks the kind first');
});

test('shGlob quotes every literal run of a case pattern and leaves its stars', () => {
  const pattern = shGlob("tvx-$(id)*'");
  assert.equal(pattern, "'tvx-$(id)'*''\\'''");
  const r = spawnSync('sh', ['-c', sh`case "$1" in ${pattern}) echo yes ;; *) echo no ;; esac`, 'x', "tvx-$(id)abc'"], {
    encoding: 'utf8',
  });
  assert.equal(r.stdout, 'yes\n');
});

test('shJoin, shTrimEnd and shWord keep shell text shell text', () => {
  assert.equal(shJoin([sh`a`, sh`b`]), 'a\nb');
  assert.equal(shJoin([sh`a`, sh`b`], ' && '), 'a && b');
  assert.equal(shTrimEnd(sh`x\n\n`), 'x');
  assert.equal(shWord('plain-word'), 'plain-word');
  assert.equal(shWord('two words'), "'two words'");
  assert.equal(shTrusted('lo'), 'lo');
});

test('a comment line cannot end early: a line break in its text becomes a space', () => {
  const comment = shComment('tvd up: h/vm/x\nrm -rf /tmp/never');
  assert.equal(comment, '# tvd up: h/vm/x rm -rf /tmp/never');
  assert.equal(echoed(shJoin([comment, sh`echo only`])), 'only\n');
});

test('raw strings do not type-check where shell text is demanded', () => {
  const raw: string = 'x; rm -rf /';
  const address = { host: 'h', type: 'vswitch', name: 'web' } as const;
  // @ts-expect-error a raw string in the sh template (at run time it would go in: the type is the guard)
  assert.equal(sh`echo ${raw}`, 'echo x; rm -rf /');
  // @ts-expect-error a raw line in a rendered script
  assert.ok(script('up', address, [raw]).includes(raw));
  // @ts-expect-error a raw device name for a link helper
  assert.ok(linkExists(null, raw).includes(raw));
  // @ts-expect-error a string made by concatenation is no longer shell text
  const glued: Sh = sh`a` + sh`b`;
  assert.equal(glued, 'ab');
  // @ts-expect-error shJoin takes only its fixed separators
  shJoin([sh`a`], raw);
  const exec = (c: HostConnection) => {
    // @ts-expect-error the SSH transport runs only shell text
    void c.exec(raw);
    // @ts-expect-error nor does it take a raw script on stdin
    void c.exec(sh`sh -s`, { stdin: raw });
  };
  assert.equal(typeof exec, 'function');
});
