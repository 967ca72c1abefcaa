// vswitch: a TVD's Linux bridge on a host, with the NIC dedicated to the TVD enslaved when it has one.
import type { Resource } from '../../plan/resources.js';
import { q, shQuote } from './quote.js';
import { linkExists } from './links.js';
import { script } from './script.js';

const isBridge = (br: string) => `ip -d -o link show dev ${br} 2>/dev/null | grep -qF ' bridge '`;

export function vswitchUp(r: Resource<'vswitch'>): string {
  const a = r.attrs;
  const br = q('ifname', a.bridge);
  const body = [
    `if ! ${linkExists(null, br)}; then`,
    `  ip link add name ${br} type bridge`,
    `elif ! ${isBridge(br)}; then`,
    // Not ours: a foreign link with the name tvd derives. Stop rather than delete it.
    `  echo ${shQuote(`tvd: ${a.bridge} exists and is not a bridge`)} >&2`,
    '  exit 1',
    'fi',
    `ip link set dev ${br} mtu ${q('int', a.mtu)}`,
    `ip link set dev ${br} up`,
  ];
  if (a.dedicated !== undefined) {
    const nic = q('ifname', a.dedicated);
    body.push(`ip link set dev ${nic} master ${br}`, `ip link set dev ${nic} up`);
  }
  return script('up', r.address, body);
}

export function vswitchDown(r: Resource<'vswitch'>): string {
  const br = q('ifname', r.attrs.bridge);
  // Deleting the bridge releases its ports (the dedicated NIC among them).
  return script('down', r.address, [`if ${isBridge(br)}; then`, `  ip link del dev ${br}`, 'fi']);
}
