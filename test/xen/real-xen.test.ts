// Issue 20 on real Xen: three QEMU hosts running Xen 4.17 and a Debian Dom0 (lab/xen), two of
// them in one segment. tvd's probe finds 802.1Q there, so the planner joins those two by VLAN
// and the third by VXLAN; real `xl create` starts tvd's xl.cfg files as PV guests, real hotplug
// runs tvd's vif-tvd; the traffic matrix holds, a tagged frame is seen on the uplink, a real
// Dom0 reboot brings it all back through tvd's boot unit, and destroy leaves each Dom0 as it was.
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
    hosts: Object.fromEntries(lab.hosts.map((h) => [h.name, { address: h.address, port: h.port, user: h.user, uplink: 'eth0', segment: h.segment }])),
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
    mismatches(results).map((b) => `${b.from} -> ${b.to} ${b.probe}: expected ${b.expected ? 'open' : 'blocked'}${b.refused ? ' (refused)' : ''}`),
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
  Promise.all(lab.hosts.map(async (h) => (await hostSnapshot(lab.prefix, h.name, { rebooted: h.name === REBOOTED })).replace(/ valid_lft \S+ preferred_lft \S+/g, '')));
const REBOOTED = 'h3';

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

test('real Xen: capabilities, VLAN and VXLAN by traffic, a tagged frame, reboot, destroy', { skip: canRunLab() ? false : LAB_SKIP_REASON, timeout: 35 * 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-xen-'));
  try {
    await withTestLab(async (lab) => {
      assert.deepEqual(lab.hosts.map((h) => `${h.name}:${h.segment}`), ['h1:s1', 'h2:s2', 'h3:s1']);
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
      const addrs = (JSON.parse(plan.stdout).actions as { host: string; resource: { type: string; name: string } }[]).map((a) => `${a.host}/${a.resource.type}/${a.resource.name}`);
      for (const a of ['h1/vlan/red', 'h3/vlan/red', 'h2/encap/red', 'h2/encap/blue', 'h3/encap/blue']) assert.ok(addrs.includes(a), `${a} in\n${addrs.join('\n')}`);
      assert.ok(!addrs.some((a) => a.startsWith('h2/vlan/')), 'h2 is alone in its segment: no VLAN');

      const applied = await tvd(['apply', path, '--auto-approve', ...args]);
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);
      log('applied');
      // Real hotplug ran tvd's hook and gave each vif tvd's name (vif-tvd renames netback's vifD.N).
      const hook = await hostExec(lab.prefix, 'h1', ['sh', '-c', 'id=$(xl domid r1) && xenstore-read backend/vif/$id/0/script backend/vif/$id/0/hotplug-status backend/vif/$id/0/vifname']);
      const [script, status, vifname] = hook.stdout.trim().split('\n');
      assert.deepEqual([script, status], ['/etc/xen/scripts/vif-tvd', 'connected'], hook.stdout + hook.stderr);
      assert.equal((await hostExec(lab.prefix, 'h1', ['test', '-e', `/sys/class/net/${vifname}`])).code, 0, `${vifname} exists in h1's Dom0`);

      await assertMatrix(lab, t, 'after the first apply');

      // A frame of red on h1's uplink carries red's 802.1Q tag.
      type Recorded = { host: string; type: string; name: string; attrs: { id: number } };
      const vlanId = (JSON.parse((await tvd(['show', '--json', ...args])).stdout).resources as Recorded[]).find((r) => r.host === 'h1' && r.type === 'vlan' && r.name === 'red')!.attrs.id;
      const capture = hostExec(lab.prefix, 'h1', ['timeout', '90', 'tcpdump', '-i', 'eth0', '-e', '-n', '-c', '1', `vlan ${vlanId} and icmp`]);
      await new Promise((r) => setTimeout(r, 5000));
      await vmExec(lab.prefix, 'r1', ['ping', '-c', '10', '198.19.31.13']);
      const frame = await capture;
      assert.equal(frame.code, 0, frame.stdout + frame.stderr);
      assert.match(frame.stdout, new RegExp(`802\\.1Q.*vlan ${vlanId}`), frame.stdout);

      const again = await tvd(['plan', path, '--detailed-exitcode', ...args]);
      assert.equal(again.code, 0, `plan after apply must be empty:\n${again.stdout}${again.stderr}`);

      // A real reboot of h3's Dom0: systemd runs tvd's boot unit, the guests start again.
      const boot = await labReboot(lab.prefix, REBOOTED);
      assert.deepEqual(boot.units.map((u) => `${u.unit}:${u.code}`), ['tvd-boot.service:0']);
      log(`${REBOOTED} rebooted`);
      await assertMatrix(lab, t, `after a real reboot of ${REBOOTED}`);
      const after = await tvd(['plan', path, '--detailed-exitcode', ...args]);
      assert.equal(after.code, 0, `plan after the reboot must be empty:\n${after.stdout}${after.stderr}`);

      const destroyed = await tvd(['destroy', path, '--auto-approve', ...args]);
      assert.equal(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
      assert.deepEqual(await snapshots(lab), before, 'destroy leaves every Dom0 as it was before the first apply');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
