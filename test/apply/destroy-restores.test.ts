// Issue 21: destroy leaves every host exactly as it found it. Three hosts, each prepared
// differently before tvd first touches it, with every kind of resource the lab can carry (proxy,
// vswitch with and without a dedicated NIC, vxlan encap, firewalls, a veth and a vxlan transit,
// VMs started and not); see test/support/host-snapshot.ts for what is compared.
//   h1: as the lab makes a host (/etc/xen/{auto,scripts,tvd} and /var/lib/tvd already there),
//       plus things of its own: an xl.cfg and an /etc/xen/auto entry, a script beside vif-bridge,
//       a unit enabled in multi-user.target.wants, another tool's nftables table.
//   h2: a bare Xen host: no /etc/xen/tvd, /var/lib/tvd or multi-user.target.wants, so tvd
//       makes them and must remove them again.
//   h3: folders tvd uses, already there with their own modes (/etc/xen/tvd holding a file,
//       /var/log/tvd, /run/tvd): they and their content stay.
// h2 and h3 share a NIC dedicated to blue (a veth between them), down before tvd takes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRunLab, hostExec, LAB_SKIP_REASON, type LabInfo } from '../../lab/api.js';
import { writeTopology } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import { hostSnapshot, snapshotDiff } from '../support/host-snapshot.js';
import type { Topology } from '../../src/topology/schema.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = `tdr${process.pid % 1000}`;

const PREPARE: Record<string, string> = {
  h1: `set -e
printf 'name = "own"\\nmemory = 64\\n' >/etc/xen/own.cfg
ln -s /etc/xen/own.cfg /etc/xen/auto/own.cfg
printf '#!/bin/sh\\nexit 0\\n' >/etc/xen/scripts/vif-site && chmod 0750 /etc/xen/scripts/vif-site
printf '[Service]\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n' >/etc/systemd/system/site.service
ln -s /etc/systemd/system/site.service /etc/systemd/system/multi-user.target.wants/site.service
nft -f - <<'EOF'
table inet site {
  chain input { type filter hook input priority 0; policy accept; tcp dport 22 accept; }
  chain forward { type filter hook forward priority 0; policy accept; }
}
EOF
`,
  h2: `set -e
rm -rf /etc/xen/tvd /var/lib/tvd /etc/systemd/system/multi-user.target.wants
`,
  h3: `set -e
chmod 0700 /etc/xen/tvd && printf 'kept\\n' >/etc/xen/tvd/notes.txt
mkdir -m 0750 /var/log/tvd /run/tvd
`,
};

/** A veth between h2 and h3 named eth1 on both, activated once and left down, like an unused NIC. */
async function dedicatedNic(lab: LabInfo): Promise<void> {
  const h3 = lab.hosts.find((h) => h.name === 'h3')!;
  const made = await hostExec(PREFIX, 'h2', [
    'sh',
    '-c',
    `ip link add eth1 type veth peer name eth1 netns ${h3.pid} && ip link set eth1 up && ip link set eth1 down`,
  ]);
  assert.equal(made.code, 0, made.stderr);
  const other = await hostExec(PREFIX, 'h3', ['sh', '-c', 'ip link set eth1 up && ip link set eth1 down']);
  assert.equal(other.code, 0, other.stderr);
}

function topology(lab: LabInfo): Topology {
  const hosts: NonNullable<Topology['hosts']> = {};
  for (const h of lab.hosts) hosts[h.name] = { address: h.address, port: h.port, user: h.user, uplink: 'eth0', segment: h.segment };
  hosts.h2.dedicated = { blue: 'eth1' };
  hosts.h3.dedicated = { blue: 'eth1' };
  const vm = (host: string, tvd: string, ip: string, start = true) => ({ host, memory: 64, start, nics: [{ tvd, ip }] });
  return {
    version: 1,
    tvds: {
      red: { subnet: '198.19.50.0/24', firewall: 'h1' },
      blue: { subnet: '198.19.51.0/24', firewall: 'h1' },
      green: { subnet: '198.19.52.0/24', firewall: 'h2' },
    },
    flows: [
      { from: 'red', to: 'blue', connection: 'controlled', allow: [{ proto: 'tcp', port: 80 }, { proto: 'icmp' }] },
      { between: ['red', 'green'], connection: 'open' },
    ],
    hosts,
    vms: {
      'red-1': vm('h1', 'red', '198.19.50.10'),
      'red-2': vm('h2', 'red', '198.19.50.11'),
      'blue-1': vm('h2', 'blue', '198.19.51.10'),
      'blue-2': vm('h3', 'blue', '198.19.51.11'),
      'green-1': vm('h3', 'green', '198.19.52.10'),
      'green-2': vm('h1', 'green', '198.19.52.11', false),
    },
  } as Topology;
}

test('destroy leaves every host as it was before the first apply', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 600_000,
}, async () => {
  await withLabRun({ hosts: 3, segments: 2, prefix: PREFIX }, async ({ lab, dir, args }) => {
    await dedicatedNic(lab);
    for (const [host, script] of Object.entries(PREPARE)) {
      const r = await hostExec(PREFIX, host, ['sh', '-c', script]);
      assert.equal(r.code, 0, `preparing ${host}: ${r.stderr}`);
    }
    const before = await Promise.all(lab.hosts.map((h) => hostSnapshot(PREFIX, h.name)));

    const path = writeTopology(dir, topology(lab));
    const plan = await tvd(['plan', path, '--json', ...args]);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    const kinds = new Set(
      (JSON.parse(plan.stdout).actions as { resource: { type: string }; after: Record<string, unknown> }[]).map((a) =>
        a.resource.type === 'transit' || a.resource.type === 'vm'
          ? `${a.resource.type}:${a.resource.type === 'vm' ? a.after.start : a.after.kind}`
          : a.resource.type === 'vswitch' && a.after.dedicated
            ? 'vswitch:dedicated'
            : a.resource.type,
      ),
    );
    assert.deepEqual([...kinds].sort(), [
      'encap',
      'firewall',
      'proxy',
      'transit:veth',
      'transit:vxlan',
      'vm:false',
      'vm:true',
      'vswitch',
      'vswitch:dedicated',
    ]);

    const applied = await tvd(['apply', path, '--auto-approve', ...args]);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    // What tvd made carries its mark, what was there before does not.
    const marks = await hostExec(PREFIX, 'h2', [
      'sh',
      '-c',
      'ls -a /etc/xen/tvd /var/lib/tvd /etc/systemd/system/multi-user.target.wants; ip -o link show eth1',
    ]);
    assert.match(marks.stdout, /\/etc\/xen\/tvd:\n(.*\n)*\.tvd-made\n/);
    assert.match(marks.stdout, /eth1.*master tvd-.*state UP/);
    const h1 = await hostExec(PREFIX, 'h1', ['ls', '-a', '/etc/xen/tvd']);
    assert.doesNotMatch(h1.stdout, /\.tvd-made/);

    const destroyed = await tvd(['destroy', path, '--auto-approve', ...args]);
    assert.equal(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
    const after = await Promise.all(lab.hosts.map((h) => hostSnapshot(PREFIX, h.name)));
    for (let i = 0; i < before.length; i++) {
      assert.deepEqual(
        snapshotDiff(before[i], after[i]),
        [],
        `destroy must leave ${lab.hosts[i].name} as it was (- before only, + after only)`,
      );
    }
  });
});
