// Issue 23 on the lab: a confidential TVD (examples/confidential: vault) beside a plain one
// (lobby), on two hosts in two segments. This kernel has no WireGuard module, so the hosts run
// wireguard-go (each host's /var/run/wireguard is its own: the lab's mount namespaces). Proved:
// traffic matches the flow matrix; a capture on the wire between the segments sees vault only
// as WireGuard UDP, and a marker sent between vault's VMs (and from vault to lobby, over the
// firewalls' transit link) never appears in it, while lobby's marker does; the private keys are
// 0600 root files that appear in no plan, state, show or --verbose output; a key rotation is a
// plan (an update of the two tunnels) and traffic holds after it and after a Dom0 reboot; destroy removes the tunnels,
// the wireguard-go daemons and the keys, leaving the hosts as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, hostExec, LAB_SKIP_REASON, labReboot, vmExec, withLab, type LabInfo } from '../../lab/api.js';
import { matrixTable, mismatchLine, mismatches, runTrafficMatrix } from '../../lab/traffic-matrix.js';
import { run } from '../../lab/process.js';
import { exampleOnLab, writeTopology } from '../support/example.js';
import { labArgs, tvd } from '../support/tvd-cli.js';
import { hostSnapshot, snapshotDiff } from '../support/host-snapshot.js';
import type { Topology } from '../../src/topology/schema.js';

const PREFIX = `wgc${process.pid % 1000}`;

async function assertMatrix(lab: LabInfo, t: Topology, what: string) {
  const results = await runTrafficMatrix(lab, t);
  assert.ok(
    results.some((r) => r.expected && r.probe !== 'icmp'),
    'the matrix has TCP probes that must pass',
  );
  assert.deepEqual(mismatches(results).map(mismatchLine), [], `${what}: traffic differs from the flow matrix\n${matrixTable(results)}`);
}

/** tcpdump on the core's port of host h1: every frame h1 sends to or gets from the other segment. */
async function capture(lab: LabInfo, file: string, during: () => Promise<void>): Promise<Buffer> {
  const core = `${lab.prefix}-core`;
  const dump = spawn('ip', ['netns', 'exec', core, 'tcpdump', '-i', 'h1', '-U', '-s', '0', '-w', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    dump.stderr!.on('data', (d) => {
      err += d;
      if (err.includes('listening on')) resolve();
    });
    dump.on('close', (code) => reject(new Error(`tcpdump exited ${code}: ${err}`)));
  });
  try {
    await during();
    // What the kernel has not handed to tcpdump yet.
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    const closed = new Promise((r) => dump.on('close', r));
    dump.kill('SIGINT');
    await closed;
  }
  return readFileSync(file);
}

/** What tcpdump makes of the capture, one entry per IPv4 packet (SSH to the hosts left out); a VXLAN packet's inner frame joins its line. */
async function decoded(file: string): Promise<string[]> {
  const r = await run(['tcpdump', '-r', file, '-nn', 'ip and not tcp port 22']);
  assert.equal(r.code, 0, r.stderr);
  const packets: string[] = [];
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    if (/^\d\d:\d\d:/.test(line) || packets.length === 0) packets.push(line);
    else packets[packets.length - 1] += ` | ${line.trim()}`;
  }
  return packets;
}

const hex = (s: string) => Buffer.from(s).toString('hex');

/** wireguard-go processes in a host's network namespace. */
async function wireguardGoPids(lab: LabInfo, host: string): Promise<number[]> {
  const h = lab.hosts.find((x) => x.name === host)!;
  const r = await run(['ip', 'netns', 'pids', h.netns]);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'wireguard-go';
      } catch {
        return false;
      }
    });
}

test('confidential TVD: VXLAN inside wireguard-go, proved by traffic and by capture; rotation; destroy', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 900_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-wg-'));
  try {
    await withLab({ hosts: 2, segments: 2, prefix: PREFIX }, async (lab) => {
      const state = join(dir, 'state.json');
      const args = labArgs(lab, state);
      const before = await Promise.all(lab.hosts.map((h) => hostSnapshot(PREFIX, h.name, { rebooted: true })));
      const { path, topology } = exampleOnLab('confidential', lab, dir);
      const hostOf = (vm: string) => topology.vms![vm].host;
      const [ha, hb] = [hostOf('vault-1'), hostOf('vault-2')];
      assert.notEqual(ha, hb);

      // The probe reports wireguard-go as its own mechanism; this kernel has no module.
      const capsDir = join(dir, 'caps');
      const caps = await tvd(['capabilities', path, '--out', capsDir, ...args.slice(2)]);
      assert.equal(caps.code, 0, caps.stdout + caps.stderr);
      for (const h of lab.hosts) {
        const m = JSON.parse(readFileSync(join(capsDir, `${h.name}.json`), 'utf8')) as { mechanisms: Record<string, boolean> };
        assert.equal(m.mechanisms['wireguard-go'], true, JSON.stringify(m.mechanisms));
        assert.equal(m.mechanisms.wireguard, false, JSON.stringify(m.mechanisms));
      }

      const plan = await tvd(['plan', path, '--json', ...args]);
      assert.equal(plan.code, 0, plan.stdout + plan.stderr);
      const applied = await tvd(['apply', path, '--auto-approve', '--verbose', ...args]);
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);

      // Keys: made on the host, 0600 root in a 0700 folder; the private key is nowhere else.
      for (const h of [ha, hb]) {
        const st = await hostExec(PREFIX, h, ['stat', '-c', '%a %U %n', '/var/lib/tvd/wireguard', '/var/lib/tvd/wireguard/1.key']);
        assert.equal(st.stdout.trim(), '700 root /var/lib/tvd/wireguard\n600 root /var/lib/tvd/wireguard/1.key', st.stderr);
        const key = (await hostExec(PREFIX, h, ['cat', '/var/lib/tvd/wireguard/1.key'])).stdout.trim();
        assert.match(key, /^[A-Za-z0-9+/]{43}=$/);
        const show = await tvd(['show', '--json', '--state', state]);
        const planAgain = await tvd(['plan', path, '--json', '--verbose', ...args]);
        for (const [what, text] of [
          ['the plan', plan.stdout + plan.stderr],
          ['apply --verbose', applied.stdout + applied.stderr],
          ['the state', readFileSync(state, 'utf8')],
          ['show', show.stdout + show.stderr],
          ['plan --verbose', planAgain.stdout + planAgain.stderr],
        ]) {
          assert.ok(!text.includes(key), `${h}'s private key appears in ${what}`);
        }
        const pub = (await hostExec(PREFIX, h, ['wg', 'show', 'tvdwg0', 'public-key'])).stdout.trim();
        assert.ok(plan.stdout.includes(pub), `the plan carries ${h}'s public key`);
        assert.equal((await wireguardGoPids(lab, h)).length, 1, `one wireguard-go daemon on ${h}`);
      }

      await assertMatrix(lab, topology, 'after apply');
      const noop = await tvd(['plan', path, '--detailed-exitcode', ...args]);
      assert.equal(noop.code, 0, `plan after apply must be empty:\n${noop.stdout}${noop.stderr}`);
      const verify = await tvd(['verify', path, ...args]);
      assert.equal(verify.code, 0, `verify finds the tunnels as recorded:\n${verify.stdout}${verify.stderr}`);

      // The capture: pings whose payload is a marker, inside vault, from vault to lobby, inside lobby.
      const ip = (vm: string) => topology.vms![vm].nics[0].ip!;
      const markers = { vault: 'vault-secret-23!', cross: 'vault-to-lobby!!', lobby: 'lobby-in-clear!!' };
      const pcap = join(dir, 'wire.pcap');
      const bytes = await capture(lab, pcap, async () => {
        for (const [from, to, marker] of [
          ['vault-1', 'vault-2', markers.vault],
          ['vault-1', 'lobby-2', markers.cross],
          ['lobby-1', 'lobby-2', markers.lobby],
        ] as const) {
          const r = await vmExec(PREFIX, from, ['ping', '-n', '-c', '3', '-i', '0.2', '-W', '2', '-p', hex(marker), ip(to)]);
          assert.equal(r.code, 0, `ping ${from} -> ${to}: ${r.stdout}${r.stderr}`);
        }
      });
      assert.ok(bytes.includes(Buffer.from(markers.lobby)), "lobby's marker crosses in the clear (the capture sees the wire)");
      assert.ok(!bytes.includes(Buffer.from(markers.vault)), "vault's marker appears on the wire");
      assert.ok(!bytes.includes(Buffer.from(markers.cross)), 'the marker from vault to lobby appears on the wire');
      const vni = (tvdName: string) =>
        (JSON.parse(readFileSync(state, 'utf8')) as { allocations: { tvdIds: Record<string, number> } }).allocations.tvdIds[tvdName];
      const lines = await decoded(pcap);
      const wgLines = lines.filter((l) => /\.51820[ :]/.test(l) && / UDP/.test(l));
      const lobbyLines = lines.filter((l) => l.includes(`vni ${vni('lobby')}`));
      const other = lines.filter((l) => !wgLines.includes(l) && !lobbyLines.includes(l));
      assert.ok(wgLines.length >= 6, `WireGuard carries vault's pings:\n${lines.join('\n')}`);
      assert.ok(lobbyLines.length >= 6, `lobby's VXLAN is on the wire:\n${lines.join('\n')}`);
      assert.deepEqual(other, [], "nothing but WireGuard UDP and lobby's VXLAN crosses between the hosts");

      // Drift: a peer removed by hand is what verify reports, and the next apply puts it back.
      const peerOfA = (await hostExec(PREFIX, ha, ['wg', 'show', 'tvdwg0', 'peers'])).stdout.trim();
      assert.equal((await hostExec(PREFIX, ha, ['wg', 'set', 'tvdwg0', 'peer', peerOfA, 'remove'])).code, 0);
      const drifted = await tvd(['verify', path, ...args]);
      assert.notEqual(drifted.code, 0, drifted.stdout);
      assert.match(drifted.stdout + drifted.stderr, new RegExp(`tvdwg0 has no peer for ${hb}`));
      assert.equal((await tvd(['apply', path, '--auto-approve', ...args])).code, 0);
      assert.equal(
        (await vmExec(PREFIX, 'vault-1', ['ping', '-n', '-c', '2', '-W', '2', ip('vault-2')])).code,
        0,
        'vault works again after the repair',
      );

      // Rotation: a new generation for hb is an update of hb's tunnel and of its peer's, nothing else.
      const t2: Topology = structuredClone(topology);
      t2.hosts![hb].keyGeneration = 2;
      const p2 = writeTopology(dir, t2, 'rotate.yaml');
      const rot = await tvd(['plan', p2, '--json', ...args]);
      assert.equal(rot.code, 0, rot.stdout + rot.stderr);
      const acts = (JSON.parse(rot.stdout).actions as { action: string; host: string; resource: { type: string; name: string } }[])
        .map((a) => `${a.action} ${a.host}/${a.resource.type}/${a.resource.name}`)
        .sort();
      assert.deepEqual(acts, [`update ${ha}/wireguard/${ha}`, `update ${hb}/wireguard/${hb}`].sort());
      const oldPub = (await hostExec(PREFIX, hb, ['cat', '/var/lib/tvd/wireguard/1.pub'])).stdout.trim();
      assert.equal((await tvd(['apply', p2, '--auto-approve', ...args])).code, 0);
      const newPub = (await hostExec(PREFIX, hb, ['wg', 'show', 'tvdwg0', 'public-key'])).stdout.trim();
      assert.notEqual(newPub, oldPub, 'the key was rotated');
      const files = await hostExec(PREFIX, hb, ['ls', '/var/lib/tvd/wireguard']);
      assert.deepEqual(files.stdout.split('\n').filter(Boolean).sort(), ['2.key', '2.pub'], 'the old generation is gone');
      await assertMatrix(lab, t2, 'after rotating a key');

      // A Dom0 reboot: the daemon and the interface are gone, the key stays on disk; tvd's boot
      // unit replays the records, which start wireguard-go again.
      const boot = await labReboot(PREFIX, hb);
      assert.deepEqual(
        boot.units.map((u) => `${u.unit}:${u.code}`),
        ['tvd-boot.service:0'],
      );
      assert.equal((await wireguardGoPids(lab, hb)).length, 1, `wireguard-go runs again on ${hb}`);
      await assertMatrix(lab, t2, `after a simulated reboot of ${hb}`);

      // destroy: no tunnel, no daemon, no key, no socket; the hosts as they were.
      const destroyed = await tvd(['destroy', p2, '--auto-approve', ...args]);
      assert.equal(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
      for (const h of lab.hosts) {
        assert.deepEqual(await wireguardGoPids(lab, h.name), [], `no wireguard-go left on ${h.name}`);
        const left = await hostExec(PREFIX, h.name, [
          'sh',
          '-c',
          'ls -d /var/lib/tvd/wireguard /var/run/wireguard /sys/class/net/tvdwg0 2>/dev/null; true',
        ]);
        assert.equal(left.stdout, '', `left on ${h.name}`);
      }
      const after = await Promise.all(lab.hosts.map((h) => hostSnapshot(PREFIX, h.name, { rebooted: true })));
      for (let i = 0; i < before.length; i++)
        assert.deepEqual(snapshotDiff(before[i], after[i]), [], `destroy leaves ${lab.hosts[i].name} as it was`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
