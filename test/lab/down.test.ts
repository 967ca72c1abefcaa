// `tvd-lab down` leaves the machine as it was before `up`: the same network namespaces and
// links, no process of the lab (and every other process untouched), and the lab folder as before.
// Other test files may run labs at the same time, so their names are set aside by prefix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON, labDown, labUp, labExec, hostExec } from '../../lab/api.js';
import { listPrefixes } from '../../lab/registry.js';
import { scanProcesses, nsInode } from '../../lab/namespaces.js';
import { ssh } from './lab-ssh.js';

const PREFIX = `td${process.pid % 100000}`;
const execFileAsync = promisify(execFile);
const CLI = new URL('../../lab/cli.js', import.meta.url).pathname;

function othersOwn(name: string, others: string[]): boolean {
  return others.some((p) => name.startsWith(`${p}-`));
}

function snapshot(others: string[]) {
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n && !othersOwn(n, others))
    .sort();
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => !!n && !othersOwn(n, others))
    .sort();
  return { netns, links };
}

test('down leaves netns, links, processes and the lab folder as before up; twice is safe', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
}, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tvd-lab-down-'));
  const out = join(tmp, 'lab'); // does not exist yet: down must remove it
  const pre = join(tmp, 'pre'); // exists and is empty: down must leave it empty
  mkdirSync(pre);
  let sshSession: ReturnType<typeof spawn> | undefined;
  const held: number[] = [];
  try {
    const othersBefore = listPrefixes();
    const before = snapshot([]);
    const pidsBefore = new Set(scanProcesses().map((p) => p.pid));
    const lab = await labUp({ hosts: 2, prefix: PREFIX, out });

    // Make the lab busy the way tvd and tests do: a VM, a firewall namespace made inside a host,
    // a VXLAN on eth0, processes left running inside a VM, a firewall and a host, an open SSH session.
    const h1 = lab.hosts[0];
    const mk = await ssh(
      lab,
      h1.address,
      [
        'set -e',
        'ip link add br-d type bridge && ip link set br-d up',
        `printf 'name="vm-d"\\nmemory=64\\nvif=["bridge=br-d,ip=198.19.60.2"]\\n' > /etc/xen/tvd/vm-d.cfg`,
        'xl create -q /etc/xen/tvd/vm-d.cfg',
        'ip netns add fw-d',
        `ip link add vx-d type vxlan id 77 local ${h1.address} dstport 4789 dev eth0`,
        'ip netns exec vm-d sh -c "sleep 600 >/dev/null 2>&1 &"',
        'ip netns exec fw-d sh -c "sleep 600 >/dev/null 2>&1 &"',
        'nohup sleep 600 >/dev/null 2>&1 &',
      ].join('\n'),
    );
    assert.equal(mk.code, 0, mk.stderr);
    sshSession = spawn(
      'ssh',
      [
        '-i',
        lab.identity,
        '-o',
        `UserKnownHostsFile=${lab.knownHosts}`,
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        'BatchMode=yes',
        `root@${lab.hosts[1].address}`,
        'sleep 600',
      ],
      { stdio: 'ignore' },
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await labExec(PREFIX, { vm: 'vm-d' }, ['true'])).code, 0);
    const inner = await hostExec(PREFIX, h1.name, ['sh', '-c', 'for f in /run/netns/*; do stat -L -c %i "$f"; done']);
    const labNs = new Set<number>([
      ...inner.stdout.split('\n').filter(Boolean).map(Number),
      ...lab.hosts.map((h) => nsInode(`/run/netns/${h.netns}`)!),
    ]);
    assert.equal(labNs.size, 4);
    const inLab = scanProcesses().filter((p) => labNs.has(p.net));
    assert.ok(inLab.length >= 6, `expected the lab's processes, saw ${inLab.length}`);
    // Hold each namespace open (an fd, not a process) until the checks below: the kernel reuses a
    // freed namespace's inode number, and another test's new namespace with it would look like
    // one of this lab's that still has a process in it.
    for (const ino of labNs) {
      const p = inLab.find((x) => x.net === ino);
      assert.ok(p, `no process of the lab in namespace ${ino} to hold it by`);
      held.push(openSync(`/proc/${p.pid}/ns/net`, 'r'));
    }

    // down through the CLI, twice.
    // (Async, so that this process can reap the anchors it spawned while down runs.)
    await execFileAsync(process.execPath, [CLI, 'down', '--prefix', PREFIX]);
    const second = await execFileAsync(process.execPath, [CLI, 'down', '--prefix', PREFIX]);
    assert.match(second.stdout, /nothing to do/);

    // Namespaces and links: as before. Other test files may make namespaces and links meanwhile
    // (their labs, or their own), so: nothing of this lab remains, and nothing that was there is gone.
    const others = [...new Set([...othersBefore, ...listPrefixes()])].filter((p) => p !== PREFIX);
    const after = snapshot(others);
    for (const kind of ['netns', 'links'] as const) {
      assert.deepEqual(
        after[kind].filter((n) => n.startsWith(`${PREFIX}-`)),
        [],
        `no ${kind} of the lab remains`,
      );
      assert.deepEqual(
        before[kind].filter((n) => !othersOwn(n, others) && !after[kind].includes(n)),
        [],
        `no other ${kind} was removed`,
      );
    }

    // Processes: none left in the lab's namespaces, every lab process gone, no other process killed.
    const procs = scanProcesses();
    assert.deepEqual(
      procs.filter((p) => labNs.has(p.net)),
      [],
      'no process is left in any namespace of the lab',
    );
    for (const p of inLab) assert.ok(!existsSync(`/proc/${p.pid}`), `process ${p.pid} of the lab is gone`);
    const aliveNow = new Set(procs.map((p) => p.pid));
    assert.deepEqual(
      [...pidsBefore].filter((p) => !aliveNow.has(p) && existsSync(`/proc/${p}/ns/net`)),
      [],
    );

    // Files: the folder up made is gone, and so is the lab's registration.
    assert.ok(!existsSync(out), 'the lab folder made by up is gone');
    assert.deepEqual(readdirSync(tmp).sort(), ['pre']);
    assert.ok(!listPrefixes().includes(PREFIX));

    // Into an existing empty folder: down leaves the folder, empty.
    await labUp({ hosts: 1, prefix: PREFIX, out: pre });
    await labDown(PREFIX);
    assert.deepEqual(readdirSync(pre), []);
  } finally {
    for (const fd of held) closeSync(fd);
    sshSession?.kill('SIGKILL');
    await labDown(PREFIX);
    rmSync(tmp, { recursive: true, force: true });
  }
});
