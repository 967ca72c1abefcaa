// Issue 20 on real Xen: three QEMU hosts running Xen 4.17 and a Debian Dom0 (lab/xen), two of
// them in one segment. tvd's probe finds 802.1Q there, so the planner joins those two by VLAN
// and the third by VXLAN; real `xl create` starts tvd's xl.cfg files as PV guests, real hotplug
// runs tvd's vif-tvd; the traffic matrix holds, a tagged frame is seen on the uplink, a real
// Dom0 reboot brings it all back through tvd's boot unit; then red becomes confidential (issue 23):
// its VXLAN runs inside the Dom0 kernel's WireGuard across the two segments, the matrix still
// holds, and a capture on h2's uplink sees red only as WireGuard UDP (a marker sent inside red
// never appears, one sent inside blue does); `tvd verify --probe` proves the matrix live with its
// own endpoints in the Dom0s, before and after red is confidential (issue 26); and destroy leaves
// each Dom0 as it was.
// Slow (QEMU under TCG): `npm run test:xen`, also run by .ci/run after the fast suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, hostExec, labReboot, LAB_SKIP_REASON, vmExec, withXenLab, type XenLabInfo } from '../../lab/api.js';
import { fitTopology } from '../../lab/fit-topology.js';
import { findAnyLab } from '../../lab/exec.js';
import { isXenLab } from '../../lab/lab-info.js';
import { matrixTable, mismatches, runTrafficMatrix } from '../../lab/traffic-matrix.js';
import type { Topology } from '../../src/topology/schema.js';
import { writeTopology } from '../support/example.js';
import { hostSnapshot } from '../support/host-snapshot.js';
import { labArgs, tvd } from '../support/tvd-cli.js';

const PREFIX = `xen${process.pid % 1000}`;
const log = (line: string) => process.stderr.write(`# ${line}\n`);

/** red spans all three hosts (VLAN between h1 and h3, VXLAN to h2); blue spans h2 and h3. */
function topology(lab: XenLabInfo): Topology {
  const t: Topology = {
    version: 1,
    tvds: {
      red: { subnet: '198.19.31.0/24' },
      blue: { subnet: '198.19.32.0/24' },
    },
    flows: [{ from: 'red', to: 'blue', connection: 'controlled', allow: [{ proto: 'tcp', port: 8080 }, { proto: 'icmp' }] }],
    hosts: Object.fromEntries(
      lab.hosts.map((h) => [h.name, { address: h.address, port: h.port, user: h.user, uplink: 'eth0', segment: h.segment }]),
    ),
    vms: {
      r1: { host: 'h1', memory: 128, start: true, nics: [{ tvd: 'red', ip: '198.19.31.11' }] },
      r2: { host: 'h2', memory: 128, start: true, nics: [{ tvd: 'red', ip: '198.19.31.12' }] },
      r3: { host: 'h3', memory: 128, start: true, nics: [{ tvd: 'red', ip: '198.19.31.13' }] },
      b2: { host: 'h2', memory: 128, start: true, nics: [{ tvd: 'blue', ip: '198.19.32.12' }] },
      b3: { host: 'h3', memory: 128, start: true, nics: [{ tvd: 'blue', ip: '198.19.32.13' }] },
    },
  };
  return fitTopology(t, lab);
}

async function assertMatrix(lab: XenLabInfo, t: Topology, what: string) {
  const results = await runTrafficMatrix(lab, t);
  assert.ok(results.length > 0);
  assert.deepEqual(
    mismatches(results).map(
      (b) => `${b.from} -> ${b.to} ${b.probe}: expected ${b.expected ? 'open' : 'blocked'}${b.refused ? ' (refused)' : ''}`,
    ),
    [],
    `${what}: traffic differs from the flow matrix\n${matrixTable(results)}`,
  );
  log(`${what}: ${results.length} probes match the flow matrix`);
}

/**
 * Each Dom0 as tvd sees it (test/support/host-snapshot.ts), less what changes by itself: the
 * management NIC's DHCP lease counting down, and, on the host the test reboots, link indexes.
 */
const snapshots = (lab: XenLabInfo) =>
  Promise.all(
    lab.hosts.map(async (h) =>
      (await hostSnapshot(lab.prefix, h.name, { rebooted: h.name === REBOOTED })).replace(/ valid_lft \S+ preferred_lft \S+/g, ''),
    ),
  );
const REBOOTED = 'h3';

/**
 * Issue 26 on real Xen: `tvd verify --probe` attaches its endpoints to the Dom0s' TVD bridges,
 * every check agrees with the matrix (exit 0), every TVD is probed on every host it spans
 * (`--probe-hosts` naming them all), and
 * no probe namespace, veth or lock stays on any Dom0.
 */
async function assertProbe(lab: XenLabInfo, path: string, args: string[], spans: string[], what: string) {
  // Every host, not the default first two per TVD: red's VLAN pair (h1, h3) is probed too.
  const hosts = lab.hosts.map((h) => h.name).join(',');
  const r = await tvd(['verify', path, '--probe', '--probe-hosts', hosts, '--json', ...args]);
  assert.equal(r.code, 0, `verify --probe ${what}: exit ${r.code}\n${r.stdout}${r.stderr}`);
  type End = { tvd: string; host: string };
  type Check = { from: End; to: End; probe: string; expected: boolean; observed: boolean; match: boolean };
  const probe = (JSON.parse(r.stdout) as { probe: { checks: Check[]; mismatches: number; probes: End[] } }).probe;
  assert.equal(probe.mismatches, 0, r.stdout);
  assert.deepEqual([...new Set(probe.probes.map((p) => `${p.tvd}@${p.host}`))].sort(), spans);
  const { checks } = probe;
  assert.ok(checks.length > 0 && checks.every((c) => c.match && c.observed === c.expected), r.stdout);
  const pair = (c: Check) => `${c.from.tvd}->${c.to.tvd}`;
  // Open across hosts (red's own fabric), open through the firewall, closed the other way.
  assert.ok(
    checks.some((c) => pair(c) === 'red->red' && c.from.host !== c.to.host && c.observed),
    r.stdout,
  );
  assert.ok(
    checks.some((c) => pair(c) === 'red->blue' && c.probe === 'tcp/8080' && c.observed),
    r.stdout,
  );
  assert.ok(
    checks.some((c) => pair(c) === 'blue->red' && !c.observed),
    r.stdout,
  );
  for (const h of lab.hosts) {
    const left = await hostExec(lab.prefix, h.name, ['sh', '-c', 'ip netns list; ip -o link show; ls /run/tvd 2>/dev/null; true']);
    assert.doesNotMatch(left.stdout, /tvdp-|probe\.lock/, `${h.name}: a probe stayed ${what}\n${left.stdout}`);
  }
  log(`verify --probe ${what}: ${probe.checks.length} checks match the flow matrix, no probe left`);
}

/**
 * A lab of the test's shape for `body`: its own, or, when TVD_XEN_LAB names a real-Xen lab that
 * is up (`tvd-lab up --kind xen --hosts 3 --segments 2`), that one, left up afterwards: a boot
 * takes minutes, so working on this test goes faster against a lab kept up.
 */
async function withTestLab(body: (lab: XenLabInfo) => Promise<void>): Promise<void> {
  const given = process.env.TVD_XEN_LAB;
  if (!given) return withXenLab({ hosts: 3, segments: 2, prefix: PREFIX, log }, body);
  const lab = findAnyLab(given);
  if (!isXenLab(lab)) throw new Error(`TVD_XEN_LAB=${given} is not a real-Xen lab`);
  return body(lab);
}

test('real Xen: capabilities, VLAN and VXLAN by traffic, a tagged frame, reboot, destroy', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 35 * 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-xen-'));
  try {
    await withTestLab(async (lab) => {
      assert.deepEqual(
        lab.hosts.map((h) => `${h.name}:${h.segment}`),
        ['h1:s1', 'h2:s2', 'h3:s1'],
      );
      log(`lab up: ${lab.hosts.map((h) => `${h.name} ${h.address}:${h.port}`).join(', ')}`);
      const before = await snapshots(lab);
      const state = join(dir, 'state.json');
      const args = labArgs(lab, state);
      const t = topology(lab);
      const path = writeTopology(dir, t);

      // The capability model of a real Dom0: 802.1Q, VXLAN and GRETAP, Xen 4.17.
      const caps = join(dir, 'caps');
      const c = await tvd(['capabilities', path, '--out', caps, '--known-hosts', lab.knownHosts, '--identity', lab.identity]);
      assert.equal(c.code, 0, c.stdout + c.stderr);
      for (const h of lab.hosts) {
        const m = JSON.parse(readFileSync(join(caps, `${h.name}.json`), 'utf8'));
        assert.deepEqual([m.mechanisms.vlan, m.mechanisms.vxlan, m.mechanisms.gretap, m.xen.version], [true, true, true, '4.17'], h.name);
      }

      // The plan: VLAN where two hosts share a segment, VXLAN across segments.
      const plan = await tvd(['plan', path, '--json', ...args]);
      assert.equal(plan.code, 0, plan.stderr);
      const addrs = (JSON.parse(plan.stdout).actions as { host: string; resource: { type: string; name: string } }[]).map(
        (a) => `${a.host}/${a.resource.type}/${a.resource.name}`,
      );
      for (const a of ['h1/vlan/red', 'h3/vlan/red', 'h2/encap/red', 'h2/encap/blue', 'h3/encap/blue'])
        assert.ok(addrs.includes(a), `${a} in\n${addrs.join('\n')}`);
      assert.ok(!addrs.some((a) => a.startsWith('h2/vlan/')), 'h2 is alone in its segment: no VLAN');

      const applied = await tvd(['apply', path, '--auto-approve', ...args]);
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);
      log('applied');
      // Real hotplug ran tvd's hook and gave each vif tvd's name (vif-tvd renames netback's vifD.N).
      const hook = await hostExec(lab.prefix, 'h1', [
        'sh',
        '-c',
        'id=$(xl domid r1) && xenstore-read backend/vif/$id/0/script backend/vif/$id/0/hotplug-status backend/vif/$id/0/vifname',
      ]);
      const [script, status, vifname] = hook.stdout.trim().split('\n');
      assert.deepEqual([script, status], ['/etc/xen/scripts/vif-tvd', 'connected'], hook.stdout + hook.stderr);
      assert.equal(
        (await hostExec(lab.prefix, 'h1', ['test', '-e', `/sys/class/net/${vifname}`])).code,
        0,
        `${vifname} exists in h1's Dom0`,
      );

      await assertMatrix(lab, t, 'after the first apply');
      const spans = ['blue@h2', 'blue@h3', 'red@h1', 'red@h2', 'red@h3'];
      await assertProbe(lab, path, args, spans, 'after the first apply');

      // A frame of red on h1's uplink carries red's 802.1Q tag.
      type Recorded = { host: string; type: string; name: string; attrs: { id: number } };
      const vlanId = (JSON.parse((await tvd(['show', '--json', '--state', state])).stdout).resources as Recorded[]).find(
        (r) => r.host === 'h1' && r.type === 'vlan' && r.name === 'red',
      )!.attrs.id;
      const capture = hostExec(lab.prefix, 'h1', [
        'timeout',
        '90',
        'tcpdump',
        '-i',
        'eth0',
        '-e',
        '-n',
        '-c',
        '1',
        `vlan ${vlanId} and icmp`,
      ]);
      await new Promise((r) => setTimeout(r, 5000));
      await vmExec(lab.prefix, 'r1', ['ping', '-c', '10', '198.19.31.13']);
      const frame = await capture;
      assert.equal(frame.code, 0, frame.stdout + frame.stderr);
      assert.match(frame.stdout, new RegExp(`802\\.1Q.*vlan ${vlanId}`), frame.stdout);

      const again = await tvd(['plan', path, '--detailed-exitcode', ...args]);
      assert.equal(again.code, 0, `plan after apply must be empty:\n${again.stdout}${again.stderr}`);

      // A real reboot of h3's Dom0: systemd runs tvd's boot unit, the guests start again.
      const boot = await labReboot(lab.prefix, REBOOTED);
      assert.deepEqual(
        boot.units.map((u) => `${u.unit}:${u.code}`),
        ['tvd-boot.service:0'],
      );
      log(`${REBOOTED} rebooted`);
      await assertMatrix(lab, t, `after a real reboot of ${REBOOTED}`);
      const after = await tvd(['plan', path, '--detailed-exitcode', ...args]);
      assert.equal(after.code, 0, `plan after the reboot must be empty:\n${after.stdout}${after.stderr}`);

      // Issue 23: red confidential. The Dom0 kernel (6.1) has WireGuard and the image wireguard-tools,
      // so every red pair (h1-h3 too, which shared a VLAN) is VXLAN inside the kernel's WireGuard.
      const t2: Topology = structuredClone(t);
      t2.tvds.red.confidentiality = 'required';
      const p2 = writeTopology(dir, t2, 'confidential.yaml');
      for (const h of lab.hosts) {
        const m = JSON.parse(readFileSync(join(caps, `${h.name}.json`), 'utf8'));
        assert.equal(m.mechanisms.wireguard, true, `${h.name}: the kernel's WireGuard`);
      }
      const cplan = await tvd(['plan', p2, '--json', ...args]);
      assert.equal(cplan.code, 0, cplan.stdout + cplan.stderr);
      const cacts = (JSON.parse(cplan.stdout).actions as { action: string; host: string; resource: { type: string; name: string } }[]).map(
        (a) => `${a.action} ${a.host}/${a.resource.type}/${a.resource.name}`,
      );
      for (const a of [
        'create h1/wireguard/h1',
        'create h2/wireguard/h2',
        'create h3/wireguard/h3',
        'delete h1/vlan/red',
        'delete h3/vlan/red',
      ])
        assert.ok(cacts.includes(a), `${a} in\n${cacts.join('\n')}`);
      const capplied = await tvd(['apply', p2, '--auto-approve', ...args]);
      assert.equal(capplied.code, 0, capplied.stdout + capplied.stderr);
      log('red is confidential');
      type WgRecord = { host: string; type: string; name: string; attrs: { implementation: string; device: string } };
      const shown = JSON.parse((await tvd(['show', '--json', '--state', state])).stdout).resources as WgRecord[];
      const tunnels = shown.filter((r) => r.type === 'wireguard');
      assert.deepEqual(tunnels.map((r) => `${r.host}:${r.attrs.implementation}`).sort(), ['h1:kernel', 'h2:kernel', 'h3:kernel']);
      for (const h of lab.hosts) {
        const l = await hostExec(lab.prefix, h.name, ['sh', '-c', 'ip -d -o link show dev tvdwg0; pgrep -x wireguard-go || true']);
        assert.match(l.stdout, / wireguard /, `${h.name}: tvdwg0 is the kernel's WireGuard\n${l.stdout}${l.stderr}`);
        assert.doesNotMatch(l.stdout, /^\d+\s*$/m, `${h.name}: no wireguard-go runs`);
      }
      await assertMatrix(lab, t2, 'with red confidential');
      await assertProbe(lab, p2, args, spans, 'with red confidential');
      const cagain = await tvd(['plan', p2, '--detailed-exitcode', ...args]);
      assert.equal(cagain.code, 0, `plan after the confidential apply must be empty:\n${cagain.stdout}${cagain.stderr}`);

      // The capture on h2's uplink: red's marker from r1 (h1, segment s1) to r2 (h2, segment s2)
      // never appears; blue's from b3 (h3) to b2 (h2) does; red's VNI is never seen in VXLAN.
      const redVni = (JSON.parse(readFileSync(state, 'utf8')) as { allocations: { tvdIds: Record<string, number> } }).allocations.tvdIds
        .red;
      const markers = { red: 'red-is-secret-23', blue: 'blue-in-clear-23' };
      const pcap = '/tmp/tvd-wg.pcap';
      const started = await hostExec(lab.prefix, 'h2', [
        'sh',
        '-c',
        `tcpdump -i eth0 -n -s 0 -U -w ${pcap} </dev/null >/tmp/tvd-wg.log 2>&1 & echo $! >/tmp/tvd-wg.pid; sleep 3; cat /tmp/tvd-wg.log`,
      ]);
      assert.match(started.stdout, /listening on/, started.stdout + started.stderr);
      for (const [to, from, ip, marker] of [
        ['r2', 'r1', '198.19.31.12', markers.red],
        ['b2', 'b3', '198.19.32.12', markers.blue],
      ] as const) {
        const l = await vmExec(lab.prefix, to, [
          'sh',
          '-c',
          'setsid nc -ll -p 9023 -e /bin/true </dev/null >/dev/null 2>&1 & sleep 1; netstat -ltn',
        ]);
        assert.match(l.stdout, /[:.]9023 /, `${to} listens: ${l.stdout}${l.stderr}`);
        const sent = await vmExec(lab.prefix, from, ['sh', '-c', `for i in 1 2 3; do echo ${marker} | nc -w 2 ${ip} 9023; done; true`]);
        assert.equal(sent.code, 0, sent.stdout + sent.stderr);
      }
      const seen = await hostExec(lab.prefix, 'h2', [
        'sh',
        '-c',
        [
          `sleep 2; kill -INT $(cat /tmp/tvd-wg.pid); sleep 2`,
          `echo "red $(grep -c -a ${markers.red} ${pcap})"`,
          `echo "blue $(grep -c -a ${markers.blue} ${pcap})"`,
          `echo "redvni $(tcpdump -r ${pcap} -nn 'udp port 4789' 2>/dev/null | grep -c 'vni ${redVni}$')"`,
          `echo "wireguard $(tcpdump -r ${pcap} -nn 'udp port 51820' 2>/dev/null | grep -c UDP)"`,
          `rm -f ${pcap} /tmp/tvd-wg.pid /tmp/tvd-wg.log`,
        ].join('\n'),
      ]);
      const count = (k: string) => Number(new RegExp(`^${k} (\\d+)$`, 'm').exec(seen.stdout)?.[1] ?? NaN);
      assert.equal(count('red'), 0, `red's marker is on the wire:\n${seen.stdout}${seen.stderr}`);
      assert.ok(count('blue') >= 1, `blue's marker crosses in the clear (the capture sees the wire):\n${seen.stdout}${seen.stderr}`);
      assert.equal(count('redvni'), 0, `red's VXLAN is on the wire unencrypted:\n${seen.stdout}`);
      assert.ok(count('wireguard') >= 6, `WireGuard carries red:\n${seen.stdout}`);
      for (const vm of ['r2', 'b2']) await vmExec(lab.prefix, vm, ['sh', '-c', 'killall nc; true']);

      const destroyed = await tvd(['destroy', p2, '--auto-approve', ...args]);
      assert.equal(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
      assert.deepEqual(await snapshots(lab), before, 'destroy leaves every Dom0 as it was before the first apply');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
