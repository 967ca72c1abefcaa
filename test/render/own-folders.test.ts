// The folders tvd makes carry a mark, and only marked folders holding nothing else are removed
// (src/host/own-folders.ts): run for real in a temporary folder, no root needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWN_MARK, TVD_MKDIR, TVD_RMDIR } from '../../src/host/own-folders.js';
import { BOOT_SCRIPT, renderDown, renderUp, VIF_HOOK } from '../../src/apply/render/index.js';
import { PROBE_SCRIPT } from '../../src/capabilities/probe-script.js';
import { exclusiveLockScript, sharedLockScript } from '../../src/host/host-lock.js';
import * as fx from './fixtures.js';

function sh(dir: string, body: string): string {
  const r = spawnSync('sh', ['-c', `set -eu\n${TVD_MKDIR}\n${TVD_RMDIR}\ncd "$1"\nT=$PWD\n${body}`, 'sh', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const tree = 'find . | sort';

test('tvd_mkdir marks only the folders it makes; tvd_rmdir removes only those, once empty, walking up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-own-'));
  try {
    sh(dir, `mkdir theirs\ntvd_mkdir "$T/theirs/a/b"\ntvd_mkdir "$T/theirs/a/b"\nprintf x >theirs/a/file`);
    assert.equal(
      sh(dir, tree),
      ['.', './theirs', './theirs/a', `./theirs/a/${OWN_MARK}`, './theirs/a/b', `./theirs/a/b/${OWN_MARK}`, './theirs/a/file', ''].join(
        '\n',
      ),
    );
    // b goes; a holds a file of someone else's, so it stays, marked; theirs was never tvd's.
    sh(dir, 'tvd_rmdir "$T/theirs/a/b"');
    assert.equal(sh(dir, tree), ['.', './theirs', './theirs/a', `./theirs/a/${OWN_MARK}`, './theirs/a/file', ''].join('\n'));
    // A hidden file counts as much as any other, and so does a dangling link.
    sh(dir, 'rm theirs/a/file\nln -s nowhere theirs/a/.link\ntvd_rmdir "$T/theirs/a"');
    assert.match(sh(dir, tree), /\.\/theirs\/a\/\.link/);
    sh(dir, 'rm theirs/a/.link\ntvd_rmdir "$T/theirs/a"\ntvd_rmdir "$T/theirs"\ntvd_rmdir "$T/gone"');
    assert.equal(sh(dir, tree), ['.', './theirs', ''].join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no rendered script, nor the hook, boot.sh, the probe or the host lock, makes or removes a folder but through tvd_mkdir and tvd_rmdir', () => {
  const scripts: Record<string, string> = {
    'vif-tvd': VIF_HOOK,
    'boot.sh': BOOT_SCRIPT,
    probe: PROBE_SCRIPT,
    'host lock, shared': sharedLockScript({ waitSeconds: 30 }),
    'host lock, exclusive': exclusiveLockScript({ waitSeconds: 30 }),
  };
  for (const [label, r] of Object.entries(fx.ALL)) {
    scripts[`${label} up`] = renderUp(r);
    scripts[`${label} down`] = renderDown(r);
  }
  for (const [name, text] of Object.entries(scripts)) {
    // The helpers, also as the proxy's up carries them inside the vif hook (single-quoted data).
    const helpers = [TVD_MKDIR, TVD_RMDIR].flatMap((h) => [h, h.replaceAll("'", "'\\''")]);
    const rest = helpers.reduce((t, h) => t.split(h).join(''), text);
    const bare = rest.split('\n').filter((l) => /(^|[^_\w])(mkdir|rmdir)\b|\brm -[a-z]*r/.test(l) && !/\brm -rf "\$qd"/.test(l));
    assert.deepEqual(bare, [], `${name} makes or removes a folder by itself`);
  }
});
