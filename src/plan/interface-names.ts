import type { IdSpace } from './ids.js';
import { VM_CONFIG_DIR } from '../host/paths.js';
import { sha256 } from './name-hash.js';

// Names of what tvd makes on a host, derived from ids so they are stable, unique and fit
// Linux's 15-character interface names. All start with "tv", so they are easy to tell apart.

export const bridgeName = (tvdId: number) => `tvd-${tvdId}`;
export const vxlanName = (tvdId: number) => `tvx-${tvdId}`;
export const vlanName = (vlan: number) => `tvq-${vlan}`;
export const firewallLegName = (tvdId: number) => `tvf-${tvdId}`;
export const firewallNamespace = (tvd: string) => `tvdfw-${tvd}`;
/** Inside a firewall namespace: the link that leads to the peer TVD's firewall. */
export const transitIfname = (peerTvdId: number) => `to-${peerTvdId}`;
export const transitDevice = (transitId: number) => `tvt-${transitId}`;
export const vmConfigPath = (vm: string) => `${VM_CONFIG_DIR}/${vm}.cfg`;
export const pairName = (a: string, b: string) => `${a}--${b}`;

/**
 * A VM's backend vifs are `tvv<tag>.<nic index>`, the tag a number below 36^7 written in base 36
 * (at most 7 characters), unique among the VMs of a host (vif-tags.ts).
 */
export const VIF_TAGS: IdSpace = { min: 0, max: 36 ** 7 - 1 };
export const vifName = (tag: number, nicIndex: number) => `tvv${tag.toString(36)}.${nicIndex}`;

/** The tag of a vif name tvd made, or undefined. */
export function vifTagOf(vifname: string): number | undefined {
  const m = /^tvv([0-9a-z]{1,7})\.[0-9]+$/.exec(vifname);
  return m ? parseInt(m[1], 36) : undefined;
}

/** Where a VM's search for a free tag starts: a hash of its name, so adding VMs never renames the others' vifs. */
export function vifTagStart(vm: string): number {
  return parseInt(sha256(vm).readUIntBE(0, 6).toString(36).slice(0, 7), 36);
}
