import { createHash } from 'node:crypto';

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
export const vmConfigPath = (vm: string) => `/etc/xen/tvd/${vm}.cfg`;
export const pairName = (a: string, b: string) => `${a}--${b}`;

/** A VM's backend vif: a hash of the VM's name, so adding VMs never renames the others' vifs. */
export function vifName(vm: string, nicIndex: number): string {
  const h = createHash('sha256').update(vm).digest().readUIntBE(0, 6).toString(36).slice(0, 7);
  return `tvv${h}.${nicIndex}`;
}
