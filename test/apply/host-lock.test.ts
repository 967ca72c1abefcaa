// The host lock's scripts, run for real (sh, flock) in a private mount namespace with its own
// tmpfs on /run/tvd, so the machine's own /run/tvd/lock is never touched: a reader and a second
// writer wait for a writer and then give up naming it, a writer names a reader, a run goes on
// once the holder is gone, and a process a step leaves running does not keep the host locked.
// Destroy leaves nothing of tvd: the bundle that leaves a host with no record removes the lock
// and /run/tvd (made marked), and a run that waited for it takes the lock again on the new file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyHolder, busyMessage, exclusiveLockScript, sharedLockScript } from '../../src/host/host-lock.js';
import { HOST_LOCK_HOLDER } from '../../src/host/paths.js';
import { renderHostBundle } from '../../src/apply/render/host-bundle.js';
import { OWN_MARK } from '../../src/host/own-folders.js';
import { canRunLab, LAB_SKIP_REASON } from '../../lab/api.js';

const HOLDER = "apply by ci@runner-1 (pid 4242, lock ID 6f1c2a9e) since 2026-12-01T10:00:00Z, it's me";

test('the lock scripts pass shellcheck as POSIX sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-hostlock-'));
  try {
    for (const [name, text] of [
      ['shared.sh', `#!/bin/sh\n${sharedLockScript({ waitSeconds: 30 })}echo read\n`],
      ['exclusive.sh', `#!/bin/sh\n${exclusiveLockScript({ waitSeconds: 2.5, holder: HOLDER })}echo changed\n`],
    ]) {
      writeFileSync(join(dir, name), text);
      execFileSync('shellcheck', ['-s', 'sh', join(dir, name)], { stdio: 'pipe' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('busy lines are found and phrased for a user', () => {
  assert.equal(
    busyHolder('x\n@@tvd busy apply by a@b, whose script is pid 7 on this host\n'),
    'apply by a@b, whose script is pid 7 on this host',
  );
  assert.equal(busyHolder('@@tvd begin h/vm/x create\n'), undefined);
  assert.match(
    busyMessage('apply by a@b', 2),
    /^busy: another tvd run holds its lock \(\/run\/tvd\/lock\) and did not let go within 2 s: apply by a@b\./,
  );
});

test('readers and writers wait for a writer and give up naming it; a step left running holds nothing', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-hostlock-'));
  try {
    const w = (name: string, text: string) => writeFileSync(join(dir, name), `#!/bin/sh\n${text}`);
    w('holder.sh', `${exclusiveLockScript({ waitSeconds: 5, holder: HOLDER })}echo held >"${dir}/held"\nread -r _ <"${dir}/go"\n`);
    w('reader.sh', `${sharedLockScript({ waitSeconds: 5 })}echo held >"${dir}/held"\nread -r _ <"${dir}/go"\n`);
    w('shared.sh', `${sharedLockScript({ waitSeconds: 0.3 })}echo read-ok\n`);
    w('writer.sh', `${exclusiveLockScript({ waitSeconds: 0.3, holder: 'destroy by someone-else' })}echo changed-ok\n`);
    // A bundle's step runs with fd 9 closed (host-bundle.ts), as this one does.
    w(
      'leaver.sh',
      `${exclusiveLockScript({ waitSeconds: 5 })}(\nsleep 300 &\necho $! >"${dir}/leftover"\n) </dev/null >&2 9>&-\necho left\n`,
    );
    const d = dir;
    const orchestra = `set -u
mkdir -p /run/tvd && mount -t tmpfs tvd-lock-test /run/tvd || exit 9
holdOn() { rm -f "${d}/held"; mkfifo "${d}/go" 2>/dev/null; sh "${d}/$1" & pid=$!; n=0; while [ ! -e "${d}/held" ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n+1)); done; }
letGo() { echo go >"${d}/go"; wait $pid; rm -f "${d}/go"; }
holdOn holder.sh
echo "holder=$pid"
echo "== shared while written"; sh "${d}/shared.sh"; echo "rc=$?"
echo "== writer while written"; sh "${d}/writer.sh"; echo "rc=$?"
letGo
echo "== shared after"; sh "${d}/shared.sh"; echo "rc=$?"
holdOn reader.sh
echo "== writer while read"; sh "${d}/writer.sh"; echo "rc=$?"
echo "== shared while read"; sh "${d}/shared.sh"; echo "rc=$?"
letGo
echo "== leaver"; sh "${d}/leaver.sh"; echo "rc=$?"
echo "== writer after leaver"; sh "${d}/writer.sh"; echo "rc=$?"
kill "$(cat "${d}/leftover")" 2>/dev/null
echo "== shared without flock"; holdOn holder.sh; PATH=/nonexistent /bin/sh "${d}/shared.sh"; echo "rc=$?"; letGo
`;
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-s'], { input: orchestra, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const holder = /holder=(\d+)/.exec(r.stdout)![1];
    const part = (title: string) => r.stdout.split(`== ${title}\n`)[1].split('\n==')[0].trimEnd();
    assert.equal(part('shared while written'), `@@tvd busy ${HOLDER}, whose script is pid ${holder} on this host\nrc=75`);
    assert.equal(part('writer while written'), `@@tvd busy ${HOLDER}, whose script is pid ${holder} on this host\nrc=75`);
    assert.equal(part('shared after'), 'read-ok\nrc=0');
    assert.equal(part('writer while read'), '@@tvd busy a tvd run that is reading this host (a refresh or verify)\nrc=75');
    assert.equal(part('shared while read'), 'read-ok\nrc=0', 'readers share');
    assert.equal(part('leaver'), 'left\nrc=0');
    assert.equal(part('writer after leaver'), 'changed-ok\nrc=0', 'the sleep the step left has no fd 9');
    assert.equal(part('shared without flock'), 'read-ok\nrc=0', 'a host without flock is read unlocked');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the last bundle removes the lock and the /run/tvd it made; a run that waited for it locks the new file', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-hostlock-'));
  try {
    const d = dir;
    const w = (name: string, text: string) => writeFileSync(join(dir, name), `#!/bin/sh\n${text}`);
    // An empty bundle (as the last destroy's ends: no record left), paused once it has the lock.
    const last = renderHostBundle('h1', [], { waitSeconds: 5, holder: 'destroy by the-last' });
    const holderLine = last.split('\n').find((l) => l.endsWith(`>${HOST_LOCK_HOLDER}`))!;
    assert.ok(holderLine, 'the bundle records its holder');
    writeFileSync(join(dir, 'last-now.sh'), last);
    writeFileSync(join(dir, 'last.sh'), last.replace(holderLine, `${holderLine}\necho held >"${d}/held"\nread -r _ <"${d}/go"`));
    w('shared.sh', `${sharedLockScript({ waitSeconds: 0.3 })}echo read-ok\n`);
    w(
      'waiter.sh',
      `${exclusiveLockScript({ waitSeconds: 5, holder: 'apply by the-next' })}if [ /dev/fd/9 -ef /run/tvd/lock ]; then echo locked-the-file; else echo locked-a-removed-file; fi\n`,
    );
    const orchestra = `set -u
mount -t tmpfs tvd-lock-test /run || exit 9
holdOn() { rm -f "${d}/held"; mkfifo "${d}/go" 2>/dev/null; sh "${d}/$1" >/dev/null & pid=$!; n=0; while [ ! -e "${d}/held" ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n+1)); done; }
letGo() { echo go >"${d}/go"; wait $pid; echo "bundle rc=$?"; rm -f "${d}/go"; }
echo "== reader"; sh "${d}/shared.sh"; echo "rc=$?"; ls -A /run/tvd
holdOn last.sh
sh "${d}/waiter.sh" >"${d}/waiter.out" 2>&1 & wpid=$!
sleep 0.3
echo "== last bundle"; letGo
wait $wpid; echo "waiter rc=$?"; cat "${d}/waiter.out"; ls -A /run/tvd
echo "== last bundle alone"; sh "${d}/last-now.sh" >/dev/null; echo "rc=$?"; ls -A /run; echo end
`;
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-s'], { input: orchestra, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const part = (title: string) => r.stdout.split(`== ${title}\n`)[1].split('\n==')[0].trimEnd();
    assert.equal(part('reader'), `read-ok\nrc=0\n${OWN_MARK}\nlock`, "a reader makes /run/tvd, marked as tvd's");
    assert.equal(
      part('last bundle'),
      `bundle rc=0\nwaiter rc=0\nlocked-the-file\n${OWN_MARK}\nlock\nlock.holder`,
      'the waiter took the lock again, on the file at the path',
    );
    assert.equal(part('last bundle alone'), 'rc=0\nend', 'nothing of tvd is left in /run');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
