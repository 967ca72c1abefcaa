// Ctrl-C (or a kill) while a lab is up, or coming up, takes the lab down before the process
// ends: withLab's finally alone would never run, as the signal's default action ends the process first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canRunLab, LAB_SKIP_REASON, labDown } from '../../lab/api.js';
import { listPrefixes } from '../../lab/registry.js';
import { listLabNetns } from '../../lab/namespaces.js';

const API = new URL('../../lab/api.js', import.meta.url).href;

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`${signal} while a lab is up: the lab is taken down, and the process exits ${code}`, {
    skip: canRunLab() ? false : LAB_SKIP_REASON,
  }, async () => {
    const prefix = `ti${signal === 'SIGINT' ? 'i' : 't'}${process.pid % 100000}`;
    const dir = mkdtempSync(join(tmpdir(), 'tvd-lab-interrupt-'));
    try {
      const child = join(dir, 'child.mjs');
      writeFileSync(
        child,
        `import { withLab } from ${JSON.stringify(API)};\n` +
          `await withLab({ hosts: 1, prefix: ${JSON.stringify(prefix)} }, async (lab) => {\n` +
          `  process.stdout.write(JSON.stringify({ netns: lab.hosts.map((h) => h.netns), dir: lab.dir }) + '\\n');\n` +
          `  await new Promise(() => setInterval(() => {}, 1000));\n` +
          `});\n`,
      );
      const p = spawn(process.execPath, [child], { stdio: ['ignore', 'pipe', 'inherit'] });
      const { netns, dir: labDir } = await new Promise<{ netns: string[]; dir: string }>((resolve, reject) => {
        let out = '';
        p.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]) as { netns: string[]; dir: string });
        });
        p.on('exit', (c) => reject(new Error(`the child exited ${c} before its lab was up`)));
      });
      assert.ok(listPrefixes().includes(prefix));
      const exited = new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
      p.kill(signal);
      assert.equal(await exited, code);
      assert.ok(!listPrefixes().includes(prefix), 'the lab is still registered');
      const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.split(' ')[0]);
      assert.deepEqual(
        left.filter((n) => netns.includes(n)),
        [],
      );
      // withLab's own temporary folder (the lab's folder is in it) is gone too.
      assert.ok(!existsSync(dirname(labDir)), `${dirname(labDir)} is left`);
    } finally {
      await labDown(prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

// Ctrl-C at a terminal signals the whole foreground process group: the build's own children
// (ip, ssh-keygen, sshd) get it too, and fail mid-way while other steps are still making things.
const CLI = fileURLToPath(new URL('../../lab/cli.js', import.meta.url));
for (const how of ['withLab', 'tvd-lab up'] as const) {
  test(`Ctrl-C while the lab is still coming up (${how}): what was made is taken down, and the process exits 130`, {
    skip: canRunLab() ? false : LAB_SKIP_REASON,
  }, async () => {
    const prefix = `tiu${how === 'withLab' ? 'w' : 'c'}${process.pid % 100000}`;
    const dir = mkdtempSync(join(tmpdir(), 'tvd-lab-interrupt-'));
    // Where the lab's files are, and so what its sshds' command lines hold: withLab's temporary folder, or --out.
    const marker = how === 'withLab' ? `tvd-lab-${prefix}-` : join(dir, 'lab');
    const tmpFolders = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`tvd-lab-${prefix}-`));
    try {
      const child = join(dir, 'child.mjs');
      writeFileSync(
        child,
        `import { withLab } from ${JSON.stringify(API)};\n` +
          `await withLab({ hosts: 6, segments: 2, prefix: ${JSON.stringify(prefix)} }, async () => {\n` +
          `  process.stdout.write('up\\n');\n` +
          `  await new Promise(() => setInterval(() => {}, 1000));\n` +
          `});\n`,
      );
      const argv =
        how === 'withLab' ? [child] : [CLI, 'up', '--hosts', '6', '--segments', '2', '--prefix', prefix, '--out', join(dir, 'lab')];
      const p = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
      // The registry's record is the first thing labUp makes once the prefix is its own; the
      // namespaces, keys and sshds come after it.
      while (!listPrefixes().includes(prefix)) {
        assert.equal(p.exitCode, null, 'the child exited before its lab began');
        await new Promise((r) => setTimeout(r, 1));
      }
      process.kill(-p.pid!, 'SIGINT');
      assert.equal(await exited, 130);
      assert.equal(out, '', 'the lab was up before the signal came: this test interrupts its bring-up');
      assert.ok(!listPrefixes().includes(prefix), 'the lab is still registered');
      assert.deepEqual(await listLabNetns(prefix), []);
      assert.equal(spawnSync('pgrep', ['-f', marker]).status, 1, 'a process of the lab is left');
      assert.deepEqual(tmpFolders(), [], "withLab's temporary folder is left");
      assert.ok(!existsSync(join(dir, 'lab')), 'the --out folder is left');
    } finally {
      await labDown(prefix);
      for (const f of tmpFolders()) rmSync(join(tmpdir(), f), { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
