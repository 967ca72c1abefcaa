// The resources of each TVD's fabric on each of its hosts: vSwitch, VLAN, and tunnels.
import { bridgeName, vlanName, vxlanName } from '../interface-names.js';
import type { AnyResource, EncapAttrs, VswitchAttrs } from '../resources.js';
import { WIREGUARD_DEVICE, type WireguardPlanner } from '../wireguard.js';
import { byName, type PlanContext } from './context.js';
import { internal, lookup } from '../internal.js';
import type { Fabric, HostLinks } from './fabric-phase.js';
import type { Ids } from './ids-phase.js';

export const VXLAN_PORT = 4789;

export interface SwitchIds {
  tvdIds: Ids;
  vlanIds: Ids;
}

/** The ids in the crossings that a plan shows. */
export function noteCrossingIds(fabric: Fabric, ids: SwitchIds): void {
  for (const c of fabric.crossings) {
    if (c.pairs.some((p) => p.mechanism === 'vlan') && ids.vlanIds[c.tvd] !== undefined) c.vlan = ids.vlanIds[c.tvd];
    if (c.pairs.some((p) => p.mechanism === 'encap' || p.mechanism === 'wireguard')) c.vni = ids.tvdIds[c.tvd];
  }
}

export function switchResources(
  ctx: PlanContext,
  fabric: Fabric,
  ids: SwitchIds,
  tools: { underlay: (host: string) => string; wireguard: WireguardPlanner },
): AnyResource[] {
  const resources: AnyResource[] = [];
  for (const [t, links] of fabric.links) {
    const id = ids.tvdIds[t];
    const bridge = bridgeName(id);
    const mtu = lookup(fabric.mtu, t, 'MTU');
    for (const [h, p] of links) {
      const vs: VswitchAttrs = { tvd: t, bridge, mtu };
      if (p.dedicated) vs.dedicated = ctx.hosts[h].dedicated?.[t] ?? internal(`host ${h} has no dedicated NIC for ${t}`);
      resources.push({ address: { host: h, type: 'vswitch', name: t }, attrs: vs });
      if (p.vlan) {
        const vlan = ids.vlanIds[t];
        resources.push({
          address: { host: h, type: 'vlan', name: t },
          attrs: { tvd: t, bridge, uplink: ctx.hosts[h].uplink, id: vlan, device: vlanName(vlan) },
        });
      }
      for (const e of tunnels(ctx, t, h, p, { id, bridge, mtu }, tools))
        resources.push({ address: { host: h, type: 'encap', name: t }, attrs: e });
    }
  }
  return resources;
}

function tunnels(
  ctx: PlanContext,
  t: string,
  h: string,
  p: HostLinks,
  at: { id: number; bridge: string; mtu: number },
  tools: { underlay: (host: string) => string; wireguard: WireguardPlanner },
): EncapAttrs[] {
  const out: EncapAttrs[] = [];
  const common = { tvd: t, bridge: at.bridge };
  const tail = { dstport: VXLAN_PORT, mtu: at.mtu };
  if (p.wireguardPeers.length) {
    // The TVD's VXLAN between the hosts' inner addresses: it leaves the host only inside WireGuard.
    const { wireguard } = tools;
    out.push({
      ...common,
      kind: 'vxlan',
      vni: at.id,
      device: vxlanName(at.id),
      uplink: WIREGUARD_DEVICE,
      local: wireguard.inner(h),
      ...tail,
      peers: p.wireguardPeers.map((x) => wireguard.inner(x)).sort(byName),
    });
  }
  if (p.encapPeers.length) {
    out.push({
      ...common,
      kind: ctx.encap,
      vni: at.id,
      device: vxlanName(at.id),
      uplink: ctx.hosts[h].uplink,
      local: tools.underlay(h),
      ...tail,
      peers: [...p.encapPeers].sort(byName),
    });
  }
  return out;
}
