// vm: a guest's xl.cfg (src/plan/xl-config.ts writes its text), and the running domain when `start`.
// The domain's name is the resource's name. A running domain is never restarted to pick up a
// new config: NIC changes go through network-attach/-detach (see vmNicChanges), the rest
// takes effect at the guest's next start, or by a replace.
import type { Resource, VmAttrs, VmNic } from '../../plan/resources.js';
import { vmConfigText } from '../../plan/xl-config.js';
import { assertSafe, q, sh, shJoin, shQuote, type Sh } from './quote.js';
import { dirOf, script, TVD_PUT } from './script.js';
import { linkExists } from './links.js';
import { TVD_RMDIR } from '../../host/own-folders.js';

export function vmUp(r: Resource<'vm'>): Sh {
  const a = r.attrs;
  const [name, path] = [q('name', r.address.name), q('path', a.path)];
  const body: Sh[] = [TVD_PUT, sh`tvd_put ${path} 0644 ${shQuote(vmConfigText(r.address, a))}`];
  if (a.start) {
    body.push(
      sh`if ! xl list ${name} >/dev/null 2>&1; then`,
      sh`  xl create ${path}`,
      sh`elif [ "$tvd_changed" = 1 ]; then`,
      sh`  echo ${shQuote(`tvd: ${r.address.name} is running; its new config takes effect when it next starts`)} >&2`,
      sh`fi`,
    );
    // A running domain's vif that fell off its bridge (the bridge was deleted and made again,
    // or someone moved the vif) goes back on it: the admission is the one the hook granted.
    for (const n of a.nics) {
      const [vif, br, mac] = [q('ifname', n.vifname), q('ifname', n.bridge), q('mac', n.mac)];
      body.push(
        // A running domain's vif still under netback's own name vifD.N (a vif hook that did not
        // rename it, as earlier versions of vif-tvd on real Xen): the domain's device with this MAC is it.
        sh`if ! [ -e /sys/class/net/${vif} ] && d=$(xl domid ${name} 2>/dev/null); then`,
        sh`  for i in $(xenstore-list "backend/vif/$d" 2>/dev/null); do`,
        sh`    if [ -e "/sys/class/net/vif$d.$i" ] && [ "$(xenstore-read "backend/vif/$d/$i/mac" 2>/dev/null)" = ${mac} ]; then`,
        sh`      ip link set dev "vif$d.$i" down && ip link set dev "vif$d.$i" name ${vif}`,
        sh`    fi`,
        sh`  done`,
        sh`fi`,
      );
      body.push(
        // sysfs links a bridge port to its bridge as upper_<bridge>.
        sh`if ${linkExists(null, vif)} && ! [ -e /sys/class/net/${vif}/upper_${br} ]; then`,
        // One `ip link set` for both: whichever the kernel does first (it has varied), the vif ends on its bridge, up.
        sh`  ip link set dev ${vif} master ${br} up`,
        sh`fi`,
      );
    }
  }
  return script('up', r.address, body);
}

export function vmDown(r: Resource<'vm'>): Sh {
  const [name, path] = [q('name', r.address.name), assertSafe('path', r.attrs.path)];
  return script('down', r.address, [
    TVD_RMDIR,
    sh`if xl list ${name} >/dev/null 2>&1; then`,
    sh`  xl destroy ${name}`,
    sh`fi`,
    sh`rm -f ${shQuote(path)} ${shQuote(`${path}.tvd-tmp`)}`,
    // The folder of tvd's VM configs goes with its last config, if tvd made it (a host may have had it before).
    sh`tvd_rmdir ${shQuote(dirOf(path))}`,
  ]);
}

const nicKey = (n: VmNic) => JSON.stringify([n.bridge, n.mac, n.ip ?? '', n.vifname]);

/**
 * For an update of a running VM whose NICs changed: detach the NICs that went (by MAC), then
 * attach the new ones, each only if the domain is running and the NIC is (not) there yet.
 * A NIC whose bridge, ip or vifname changed counts as gone and new. Empty when nothing changed.
 */
export function vmNicChanges(name: string, before: VmAttrs, after: VmAttrs): Sh[] {
  const dom = q('name', name);
  const had = new Set(before.nics.map(nicKey));
  const has = new Set(after.nics.map(nicKey));
  const gone = before.nics.filter((n) => !has.has(nicKey(n)));
  const added = after.nics.filter((n) => !had.has(nicKey(n)));
  if (gone.length === 0 && added.length === 0) return [];
  const listed = (mac: string) => sh`xl network-list ${dom} 2>/dev/null | grep -qiF ${q('mac', mac)}`;
  const lines: Sh[] = [sh`if xl list ${dom} >/dev/null 2>&1; then`];
  for (const n of gone) {
    lines.push(sh`  if ${listed(n.mac)}; then`, sh`    xl network-detach ${dom} ${q('mac', n.mac)}`, sh`  fi`);
  }
  for (const n of added) {
    // xl takes one key=value per argument (xl_vif.c: main_networkattach).
    const args = [`mac=${assertSafe('mac', n.mac)}`, `bridge=${assertSafe('ifname', n.bridge)}`];
    if (n.ip !== undefined) args.push(`ip=${assertSafe('ipv4', n.ip)}`);
    args.push('script=vif-tvd', `vifname=${assertSafe('ifname', n.vifname)}`);
    lines.push(sh`  if ! ${listed(n.mac)}; then`, sh`    xl network-attach ${dom} ${shJoin(args.map(shQuote), ' ')}`, sh`  fi`);
  }
  lines.push(sh`fi`);
  return lines;
}
