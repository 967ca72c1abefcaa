// A VM cannot join a TVD it is not allowed into, even when someone edits its xl.cfg on the host:
// the vif hook decides from the proxy's policy, not from the VM's config. After an apply, the
// config of a red VM is rewritten to name the blue TVD's bridge (with its own MAC, then with the
// blue VM's MAC); `xl create` fails and the hook's log says why; a NIC hot-plugged onto blue
// from a running red VM is refused too; no vif of it is ever on blue's bridge, and it cannot
// reach the blue VM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canRunLab, hostExec, LAB_SKIP_REASON, vmExec } from '../../lab/api.js';
import type { State } from '../../src/state/state.js';
import type { Topology } from '../../src/topology/schema.js';
import { writeTopology } from '../support/example.js';
import { labArgs, tvd } from '../support/tvd-cli.js';
import { labPrefix, reportRow } from '../reliability/fault-kit.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = labPrefix('s7v');

test('a hand-edited xl.cfg cannot put a VM on another TVD', { skip: canRunLab() ? false : LAB_SKIP_REASON, timeout: 60_000 }, async (t) => {
  await withLabRun({ hosts: 1, prefix: PREFIX }, async ({ lab, dir, state }) => {
    const h = lab.hosts[0].name;
    const topo: Topology = {
      version: 1,
      tvds: { red: { subnet: '198.19.1.0/24' }, blue: { subnet: '198.19.2.0/24' } },
      hosts: { [h]: { address: lab.hosts[0].address, uplink: 'eth0' } },
      vms: {
        r1: { host: h, memory: 128, start: true, nics: [{ tvd: 'red', ip: '198.19.1.10' }] },
        b1: { host: h, memory: 128, start: true, nics: [{ tvd: 'blue', ip: '198.19.2.10' }] },
      },
    };
    const applied = await tvd(['apply', writeTopology(dir, topo), '--auto-approve', ...labArgs(lab, state)]);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const s = JSON.parse(readFileSync(state, 'utf8')) as State;
    const attrs = (type: string, name: string) =>
      s.resources.find((r) => r.type === type && r.name === name)!.attrs as Record<string, unknown>;
    const red = String(attrs('vswitch', 'red').bridge);
    const blue = String(attrs('vswitch', 'blue').bridge);
    const blueMac = String((attrs('vm', 'b1').nics as { mac: string }[])[0].mac);
    const redMac = String((attrs('vm', 'r1').nics as { mac: string }[])[0].mac);
    const cfg = '/etc/xen/tvd/r1.cfg';
    const ports = async (br: string) =>
      (await hostExec(PREFIX, h, ['ip', '-o', 'link', 'show', 'master', br])).stdout.trim().split('\n').filter(Boolean).length;
    const bluePortsBefore = await ports(blue);
    assert.equal(bluePortsBefore, 1, 'b1 alone is on blue');
    let refused = 0;

    // 1 and 2: r1's own config names blue's bridge, first with r1's MAC, then posing as b1.
    for (const [what, mac] of [
      ['own MAC', redMac],
      ["b1's MAC", blueMac],
    ] as const) {
      const edit = await hostExec(PREFIX, h, [
        'sh',
        '-c',
        `xl destroy r1 2>/dev/null; sed -i 's/bridge=${red}/bridge=${blue}/; s/mac=${redMac}/mac=${mac}/' ${cfg} && grep -c 'bridge=${blue}' ${cfg}`,
      ]);
      assert.equal(edit.stdout.trim(), '1', `${what}: the edit took`);
      const create = await hostExec(PREFIX, h, ['xl', 'create', cfg]);
      assert.notEqual(create.code, 0, `${what}: xl create must fail\n${create.stdout}${create.stderr}`);
      assert.match(create.stderr, /vif-tvd/, what);
      assert.notEqual((await hostExec(PREFIX, h, ['xl', 'list', 'r1'])).code, 0, `${what}: no domain r1`);
      assert.equal(await ports(blue), 1, `${what}: still b1 alone on blue`);
      const log = await hostExec(PREFIX, h, ['cat', '/var/log/tvd/vif-tvd.log']);
      assert.match(log.stdout, new RegExp(`refused .*VM r1 may not join bridge ${blue} with MAC ${mac}`), log.stdout);
      refused++;
      await hostExec(PREFIX, h, ['sed', '-i', `s/bridge=${blue}/bridge=${red}/; s/mac=${mac}/mac=${redMac}/`, cfg]);
    }

    // 3: r1 back on red, running; a NIC hot-plugged onto blue is refused.
    const back = await hostExec(PREFIX, h, ['xl', 'create', cfg]);
    assert.equal(back.code, 0, back.stderr);
    const attach = await hostExec(PREFIX, h, ['xl', 'network-attach', 'r1', `bridge=${blue}`, 'mac=00:16:3e:66:66:66', 'script=vif-tvd']);
    assert.notEqual(attach.code, 0, `network-attach onto blue must fail\n${attach.stderr}`);
    assert.equal(await ports(blue), 1, 'still b1 alone on blue');
    refused++;

    // r1 takes an address in blue's subnet on its own NIC: blue's VM is still out of reach.
    const links = await vmExec(PREFIX, 'r1', ['ip', '-o', 'link', 'show']);
    assert.equal(links.stdout.trim().split('\n').length, 2, `r1 has lo and its red NIC only:\n${links.stdout}`);
    await vmExec(PREFIX, 'r1', ['ip', 'addr', 'add', '198.19.2.66/24', 'dev', 'eth0']);
    const ping = await vmExec(PREFIX, 'r1', ['ping', '-c', '2', '-W', '1', '198.19.2.10']);
    assert.notEqual(ping.code, 0, `r1 reached b1:\n${ping.stdout}`);
    const own = await vmExec(PREFIX, 'b1', ['ping', '-c', '1', '-W', '1', '198.19.2.10']);
    assert.equal(own.code, 0, 'b1 itself is up (so the failed ping means isolation, not a dead VM)');
    reportRow(t, { area: 'attack', attacksRefused: refused, note: 'hand-edited xl.cfg and hot-plug onto another TVD' });
  });
});
