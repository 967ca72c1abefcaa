// The vif hook, run for real in a throwaway Dom0 (sandbox.ts) the way Xen's hotplug runs it:
// `vif-tvd online` with vif= and XENBUS_PATH= set, over a small xenstore of files. It admits
// exactly the (VM, bridge, MAC) the policy lists, and refuses everything else: the vif stays off
// the bridge, Xen is told why (hotplug-error), and the refusal is logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderUp } from '../../src/apply/render/index.js';
import { Sandbox } from './sandbox.js';
import { shQuote } from '../../src/shell/quote.js';
import * as fx from './fixtures.js';

const XS = '/var/lib/tvd-test-xenstore';

/** xenstore-read / xenstore-write over files; relative paths are under /local/domain/0, as on Xen. */
const INSTALL_XENSTORE = `mkdir -p /usr/local/sbin ${XS}
cat >/usr/local/sbin/xenstore-read <<'EOF2'
#!/bin/sh
case $1 in /*) p=$1 ;; *) p=/local/domain/0/$1 ;; esac
[ -f "${XS}$p" ] || exit 1
cat "${XS}$p"; echo
EOF2
cat >/usr/local/sbin/xenstore-write <<'EOF2'
#!/bin/sh
while [ $# -ge 2 ]; do
  case $1 in /*) p=$1 ;; *) p=/local/domain/0/$1 ;; esac
  mkdir -p "$(dirname "${XS}$p")"; printf '%s' "$2" >"${XS}$p"; shift 2
done
EOF2
chmod 0755 /usr/local/sbin/xenstore-read /usr/local/sbin/xenstore-write
`;

/** A backend vif as netback would make it: here one end of a veth pair. */
function plugScript(domid: number, vm: string, bridge: string, mac: string, vif: string): string {
  const be = `${XS}/local/domain/0/backend/vif/${domid}/0`;
  return `ip link add name ${vif} type veth peer name ${vif}p
mkdir -p ${be} ${XS}/local/domain/${domid}
printf '%s' '${bridge}' >${be}/bridge
printf '%s' '${mac}' >${be}/mac
printf '%s' '${domid}' >${be}/frontend-id
printf '%s' ${shQuote(vm)} >${XS}/local/domain/${domid}/name
`;
}

const hook = (domid: number, vif: string, action = 'online') =>
  `vif=${vif} XENBUS_PATH=backend/vif/${domid}/0 /etc/xen/scripts/vif-tvd ${action}`;

const read = (box: Sandbox, domid: number, key: string) => box.run(`cat ${XS}/local/domain/0/backend/vif/${domid}/0/${key}`).stdout;
const master = (box: Sandbox, vif: string) => /master (\S+)/.exec(box.ok(`ip -o link show dev ${vif}`))?.[1];

test('vif-tvd admits exactly what policy.json lists, and refuses the rest', async () => {
  const box = await Sandbox.start();
  try {
    box.ok(INSTALL_XENSTORE);
    for (const r of [fx.proxy, fx.vswitch, fx.vswitchDb]) box.ok(renderUp(r));

    // w1's NIC on web, as admitted (the MAC in upper case, as a config may write it).
    box.ok(plugScript(5, 'w1', 'tvd-5101', '00:16:3E:00:01:10', 'vif5.0'));
    const ok = box.run(hook(5, 'vif5.0'));
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(master(box, 'vif5.0'), 'tvd-5101');
    assert.match(box.ok('ip -o link show dev vif5.0'), / mtu 1450 .*state /);
    assert.match(box.ok('ip -o link show dev vif5.0'), /<[^>]*\bUP\b/);
    assert.equal(read(box, 5, 'hotplug-status'), 'connected');

    // offline takes it off the bridge again.
    assert.equal(box.run(hook(5, 'vif5.0', 'offline')).status, 0);
    assert.equal(master(box, 'vif5.0'), undefined);

    // A vif line's vifname: netback's vif4.0 is renamed by the hook, as Xen's vif-common.sh does,
    // and offline (called with vif=vif4.0 again) releases it by that name. Seen on real Xen.
    box.ok(plugScript(4, 'w1', 'tvd-5101', '00:16:3e:00:01:10', 'vif4.0'));
    box.ok(`printf '%s' tvv1a2b3c4.0 >${XS}/local/domain/0/backend/vif/4/0/vifname`);
    const renamed = box.run(hook(4, 'vif4.0'));
    assert.equal(renamed.status, 0, renamed.stderr);
    assert.equal(box.run('ip link show dev vif4.0').status, 1, 'vif4.0 is renamed');
    assert.equal(master(box, 'tvv1a2b3c4.0'), 'tvd-5101');
    assert.equal(box.run(hook(4, 'vif4.0', 'offline')).status, 0);
    assert.equal(master(box, 'tvv1a2b3c4.0'), undefined);
    box.ok(`printf '%s' 'a;b' >${XS}/local/domain/0/backend/vif/4/0/vifname`);
    assert.equal(box.run(hook(4, 'vif4.0')).status, 1, 'a vifname that is not an interface name is refused');

    const refusals: [string, number, string, string, string][] = [
      ['a TVD the VM may not join', 6, 'w1', 'tvd-5102', '00:16:3e:00:01:10'],
      ['another VM with an admitted MAC', 7, 'd1', 'tvd-5101', '00:16:3e:00:01:10'],
      ['an admitted VM with another MAC', 8, 'w1', 'tvd-5101', '00:16:3e:00:01:99'],
      ['a name with a newline', 9, 'w1\n', 'tvd-5101', '00:16:3e:00:01:10'],
      ['a name that is a command', 10, '$(touch /tmp/tvd-hook-pwned)', 'tvd-5101', '00:16:3e:00:01:10'],
      ['JSON in the name', 11, 'w1","bridge":"tvd-5101","mac":"00:16:3e:00:01:10"}', 'tvd-5101', '00:16:3e:00:01:10'],
      ['a bridge name that is not an ifname', 12, 'w1', 'tvd-5101;id', '00:16:3e:00:01:10'],
    ];
    for (const [why, domid, vm, bridge, mac] of refusals) {
      const vif = `vif${domid}.0`;
      box.ok(plugScript(domid, vm, bridge, mac, vif));
      const r = box.run(hook(domid, vif));
      assert.equal(r.status, 1, `${why}: not refused`);
      assert.equal(master(box, vif), undefined, `${why}: the vif is on a bridge`);
      assert.equal(read(box, domid, 'hotplug-status'), 'error', why);
      assert.notEqual(read(box, domid, 'hotplug-error'), '', why);
    }
    assert.equal(box.run('test -e /tmp/tvd-hook-pwned').status, 1);
    const log = box.ok('cat /var/log/tvd/vif-tvd.log');
    // One more: the vifname refused above.
    assert.equal(log.match(/ refused vif/g)?.length, refusals.length + 1, log);
    assert.match(log, /VM w1 may not join bridge tvd-5102 with MAC 00:16:3e:00:01:10/);

    // A frontend-id that disagrees with the backend path, and a path that is not a vif backend.
    box.ok(plugScript(13, 'w1', 'tvd-5101', '00:16:3e:00:01:10', 'vif13.0'));
    box.ok(`printf 5 >${XS}/local/domain/0/backend/vif/13/0/frontend-id`);
    assert.equal(box.run(hook(13, 'vif13.0')).status, 1);
    assert.equal(box.run(`vif=vif13.0 XENBUS_PATH=backend/vbd/13/0 /etc/xen/scripts/vif-tvd online`).status, 1);
    assert.equal(master(box, 'vif13.0'), undefined);

    // An admitted bridge that is not there, or not a bridge (eth0, the uplink), admits nothing.
    for (const [domid, bridge] of [
      [14, 'tvd-5999'],
      [15, 'eth0'],
    ] as const) {
      box.ok(`printf '%s\\n' '{"vm":"w1","bridge":"${bridge}","mac":"00:16:3e:00:01:10"}' >>/var/lib/tvd/policy.json`);
      box.ok(plugScript(domid, 'w1', bridge, '00:16:3e:00:01:10', `vif${domid}.0`));
      assert.equal(box.run(hook(domid, `vif${domid}.0`)).status, 1, bridge);
      assert.equal(master(box, `vif${domid}.0`), undefined, bridge);
      assert.match(box.ok('tail -n 1 /var/log/tvd/vif-tvd.log'), new RegExp(`bridge ${bridge} does not exist`));
    }

    // No policy, no admission.
    box.ok('rm /var/lib/tvd/policy.json');
    assert.equal(box.run(hook(5, 'vif5.0')).status, 1);
    assert.equal(master(box, 'vif5.0'), undefined);
  } finally {
    box.run(
      'for l in tvv1a2b3c4.0 vif5.0 vif6.0 vif7.0 vif8.0 vif9.0 vif10.0 vif11.0 vif12.0 vif13.0 vif14.0 vif15.0; do ip link del dev "$l" 2>/dev/null; done; true',
    );
    await box.stop();
  }
});
