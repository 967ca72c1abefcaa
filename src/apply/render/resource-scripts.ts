// renderUp / renderDown: one resource -> its idempotent Dom0 script, by type.
import type { ResourceType } from '../../address/address.js';
import type { AnyResource, Resource } from '../../plan/resources.js';
import { checkResource } from './resource-check.js';
import { vswitchDown, vswitchUp } from './vswitch.js';
import { vlanDown, vlanUp } from './vlan.js';
import { encapDown, encapUp } from './encap.js';
import { firewallDown, firewallUp } from './firewall.js';
import { transitDown, transitUp } from './transit.js';
import { vmDown, vmUp } from './vm.js';
import { proxyDown, proxyUp } from './proxy.js';
import { wireguardDown, wireguardUp } from './wireguard.js';
import type { Sh } from './quote.js';

type Renderers = { [T in ResourceType]: (r: Resource<T>) => Sh };

const UP: Renderers = {
  proxy: proxyUp,
  vswitch: vswitchUp,
  vlan: vlanUp,
  wireguard: wireguardUp,
  encap: encapUp,
  firewall: firewallUp,
  transit: transitUp,
  vm: vmUp,
};
const DOWN: Renderers = {
  proxy: proxyDown,
  vswitch: vswitchDown,
  vlan: vlanDown,
  wireguard: wireguardDown,
  encap: encapDown,
  firewall: firewallDown,
  transit: transitDown,
  vm: vmDown,
};

function pick(table: Renderers, r: AnyResource): (r: AnyResource) => Sh {
  checkResource(r);
  return table[r.address.type] as (r: AnyResource) => Sh;
}

/** A POSIX sh script that makes the resource exist as its attributes say; running it again changes nothing. */
export function renderUp(r: AnyResource): Sh {
  return pick(UP, r)(r);
}

/** A POSIX sh script that removes the resource; it succeeds when the resource is already gone. */
export function renderDown(r: AnyResource): Sh {
  return pick(DOWN, r)(r);
}
