// A VM's network device, the way libxl and Linux netback make one: a backend `vifD.N` in Dom0
// (here one end of a veth pair) and the guest's `ethN` (the other end, in the VM's namespace),
// the backend's xenstore entries, and the hotplug script run with Xen's arguments and environment.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import type { VifSpec } from './domain-config.js';
import { kernelIp, vifGuestAddress } from './domain-config.js';
import { xsRead, xsRm, xsWrite, type DomainState, type VifState } from './store.js';
import { mustSync, runSync } from './system.js';

const SCRIPT_DIR = '/etc/xen/scripts';
const HOTPLUG_TIMEOUT_MS = 40_000;

export class HotplugError extends Error {}

function xenbusPath(domid: number, devid: number): string {
  return `backend/vif/${domid}/${devid}`;
}

/** Xen's own OUI, 00:16:3e, with the next bit clear, as libxl picks a MAC. */
function randomMac(): string {
  const r = randomBytes(3);
  r[0] &= 0x7f;
  return ['00', '16', '3e', ...[...r].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

function linkExists(name: string): boolean {
  return runSync(['ip', 'link', 'show', 'dev', name]).code === 0;
}

/** What netback names a backend device; a vif line's vifname is the hotplug script's to give. */
const kernelName = (domid: number, devid: number) => `vif${domid}.${devid}`;

export function plugVif(dom: Pick<DomainState, 'domid' | 'name' | 'netns'>, spec: VifSpec): VifState {
  const kname = kernelName(dom.domid, spec.devid);
  const mac = spec.mac ?? randomMac();
  const scriptPath = spec.script.startsWith('/') ? spec.script : `${SCRIPT_DIR}/${spec.script}`;
  const vif: VifState = { ...spec, ifname: kname, mac, scriptPath };
  if (linkExists(kname)) throw new HotplugError(`libxl: error: device ${kname} already exists in Dom0`);

  const mtu = spec.mtu !== undefined ? ['mtu', String(spec.mtu)] : [];
  mustSync([
    'ip',
    'link',
    'add',
    'name',
    kname,
    ...mtu,
    'type',
    'veth',
    'peer',
    'name',
    `eth${spec.devid}`,
    'address',
    mac,
    ...mtu,
    'netns',
    dom.netns,
  ]);
  // A netback vif carries the guest's frames only; it has no IPv6 of its own chatting on the bridge.
  try {
    writeFileSync(`/proc/sys/net/ipv6/conf/${kname}/disable_ipv6`, '1');
  } catch {
    /* no IPv6 */
  }
  writeXenstore(dom, vif, '2');

  const r = runHotplug(dom, vif, 'online');
  if (r.code !== 0) {
    const why = xsRead(`${xenbusPath(dom.domid, spec.devid)}/hotplug-error`);
    // libxl tears a failed device down again, which runs the script's offline half too.
    runHotplug(dom, vif, 'offline');
    for (const n of new Set([kname, spec.vifname ?? kname])) if (linkExists(n)) runSync(['ip', 'link', 'del', 'dev', n]);
    removeXenstore(dom.domid, spec.devid);
    const lines = [
      r.code === 127 && !existsSync(scriptPath)
        ? `libxl: error: libxl_exec.c: ${scriptPath}: could not execute hotplug script: No such file or directory`
        : `libxl: error: libxl_exec.c:117:libxl_report_child_exitstatus: ${scriptPath} online [${r.pid}] exited with error status ${r.code}`,
    ];
    if (why) lines.push(`libxl: error: libxl_device.c:1285:device_hotplug_child_death_cb: script: ${why}`);
    throw new HotplugError(lines.join('\n'));
  }
  xsWrite({ [`${xenbusPath(dom.domid, spec.devid)}/state`]: '4', [`/local/domain/${dom.domid}/device/vif/${spec.devid}/state`]: '4' });
  // Whatever the script named the device is what this vif is now called in Dom0.
  return { ...vif, ifname: spec.vifname !== undefined && !linkExists(kname) && linkExists(spec.vifname) ? spec.vifname : kname };
}

export function unplugVif(dom: Pick<DomainState, 'domid' | 'name' | 'netns'>, vif: VifState): void {
  const r = runHotplug(dom, vif, 'offline');
  if (r.code !== 0)
    process.stderr.write(
      `libxl: error: libxl_exec.c:117:libxl_report_child_exitstatus: ${vif.scriptPath} offline [${r.pid}] exited with error status ${r.code}\n`,
    );
  if (linkExists(vif.ifname)) runSync(['ip', 'link', 'del', 'dev', vif.ifname]);
  removeXenstore(dom.domid, vif.devid);
}

function writeXenstore(dom: Pick<DomainState, 'domid'>, vif: VifState, state: string): void {
  const be = xenbusPath(dom.domid, vif.devid);
  const fe = `/local/domain/${dom.domid}/device/vif/${vif.devid}`;
  const entries: Record<string, string> = {
    [`${be}/frontend`]: fe,
    [`${be}/frontend-id`]: String(dom.domid),
    [`${be}/online`]: '1',
    [`${be}/state`]: state,
    [`${be}/script`]: vif.scriptPath,
    [`${be}/mac`]: vif.mac,
    [`${be}/bridge`]: vif.bridge,
    [`${be}/handle`]: String(vif.devid),
    [`${be}/type`]: vif.type ?? 'vif',
    [`${fe}/backend`]: `/local/domain/0/${be}`,
    [`${fe}/backend-id`]: '0',
    [`${fe}/handle`]: String(vif.devid),
    [`${fe}/mac`]: vif.mac,
    [`${fe}/state`]: '1',
  };
  if (vif.ip !== undefined) entries[`${be}/ip`] = vif.ip;
  if (vif.vifname !== undefined) entries[`${be}/vifname`] = vif.vifname;
  if (vif.gatewaydev !== undefined) entries[`${be}/gatewaydev`] = vif.gatewaydev;
  if (vif.mtu !== undefined) entries[`${be}/mtu`] = String(vif.mtu);
  if (vif.rate !== undefined) entries[`${be}/rate`] = vif.rate;
  xsWrite(entries);
}

function removeXenstore(domid: number, devid: number): void {
  xsRm(xenbusPath(domid, devid));
  xsRm(`/local/domain/${domid}/device/vif/${devid}`);
}

/** libxl_linux.c: `SCRIPT online|offline type_if=vif` with script, XENBUS_*, netdev and vif set. */
function runHotplug(dom: Pick<DomainState, 'domid'>, vif: VifState, action: 'online' | 'offline'): { code: number; pid: number } {
  const env = {
    ...process.env,
    script: vif.scriptPath,
    XENBUS_TYPE: 'vif',
    XENBUS_PATH: xenbusPath(dom.domid, vif.devid),
    XENBUS_BASE_PATH: 'backend',
    netdev: vif.gatewaydev ?? '',
    // libxl passes netback's own name, online and offline, whatever the script renamed it to.
    vif: kernelName(dom.domid, vif.devid),
  };
  // The script's chatter goes to xl's stderr, never to its stdout.
  const r = runSync([vif.scriptPath, action, 'type_if=vif'], { env, timeoutMs: HOTPLUG_TIMEOUT_MS, passStderr: true });
  if (r.stdout) process.stderr.write(r.stdout);
  return { code: r.code, pid: r.pid };
}

/**
 * What the guest does at boot: lo and its ethN up, the address and default route from the
 * kernel's ip= (cmdline/extra), else each vif's ip= address.
 */
export function configureGuest(dom: Pick<DomainState, 'netns' | 'cmdline'>, vifs: VifState[], atBoot: boolean): void {
  const cmds = ['link set lo up'];
  const kip = atBoot ? kernelIp(dom.cmdline) : undefined;
  for (const v of vifs) {
    const dev = `eth${v.devid}`;
    cmds.push(`link set ${dev} up`);
    if (kip && kip.device === dev) {
      cmds.push(`addr add ${kip.client}/${kip.prefixLength} dev ${dev}`);
    } else {
      const a = vifGuestAddress(v.ip);
      if (a) cmds.push(`addr add ${a.address}/${a.prefixLength} dev ${dev}`);
    }
  }
  if (kip?.gateway && vifs.some((v) => `eth${v.devid}` === kip.device)) cmds.push(`route add default via ${kip.gateway} dev ${kip.device}`);
  mustSync(['ip', '-n', dom.netns, '-batch', '-'], cmds.join('\n') + '\n');
}
