// Checks a whole resource against strict patterns before any of it is rendered, so that up,
// down and the recorded attrs agree on what is acceptable (each renderer checks what it uses, too).
import type { ResourceType } from '../../address/address.js';
import type { AnyResource } from '../../plan/resources.js';
import { assertSafe, type SafeKind } from './quote.js';

type Shape = { [field: string]: SafeKind | `${SafeKind}?` | `${SafeKind}[]` | Shape[] | 'skip' };

// The MACs came later than the first states: optional here, so older records can still go down.
const END: Shape = {
  tvd: 'name',
  namespace: 'ifname',
  ifname: 'ifname',
  address: 'cidr',
  mac: 'mac?',
  peerAddress: 'cidr',
  peerSubnet: 'cidr',
};

const SHAPES: Record<ResourceType, Shape> = {
  proxy: { admissions: [{ vm: 'name', tvd: 'name', bridge: 'ifname', mac: 'mac' }], hookDigest: 'skip' },
  vswitch: { tvd: 'name', bridge: 'ifname', mtu: 'int', dedicated: 'ifname?' },
  vlan: { tvd: 'name', bridge: 'ifname', uplink: 'ifname', id: 'int', device: 'ifname' },
  wireguard: {
    device: 'ifname',
    implementation: 'skip',
    generation: 'int',
    publicKey: 'skip',
    listenPort: 'int',
    address: 'cidr',
    mtu: 'int',
    peers: [{ host: 'name', publicKey: 'skip', endpoint: 'ipv4', port: 'int', address: 'ipv4' }],
  },
  encap: {
    tvd: 'name',
    bridge: 'ifname',
    kind: 'skip',
    vni: 'int',
    device: 'ifname',
    uplink: 'ifname',
    local: 'ipv4',
    dstport: 'int',
    mtu: 'int',
    peers: 'ipv4[]',
  },
  firewall: {
    tvd: 'name',
    namespace: 'ifname',
    bridge: 'ifname',
    leg: 'ifname',
    gateway: 'ipv4',
    gatewayMac: 'mac?',
    subnet: 'cidr',
    mtu: 'int',
    peers: [{ tvd: 'name', subnet: 'cidr', ifname: 'ifname' }],
    rules: 'skip',
    ruleset: 'skip',
  },
  transit: {
    pair: 'name[]',
    kind: 'skip',
    ends: [END],
    vni: 'int?',
    device: 'ifname?',
    uplink: 'ifname?',
    local: 'ipv4?',
    remote: 'ipv4?',
    dstport: 'int?',
    mtu: 'int',
  },
  // The xl.cfg's values are quoted for xl, and its numbers checked, where it is written
  // (src/plan/xl-config.ts); `config` is the text of a record from before structured attributes.
  vm: {
    path: 'path',
    domain: 'skip',
    config: 'skip',
    start: 'skip',
    nics: [{ tvd: 'name', bridge: 'ifname', mac: 'mac', ip: 'ipv4?', vifname: 'ifname', mtu: 'int?' }],
  },
};

const KINDS: Record<ResourceType, Record<string, readonly string[]>> = {
  proxy: {},
  vswitch: {},
  vlan: {},
  firewall: {},
  vm: {},
  wireguard: { implementation: ['kernel', 'wireguard-go'] },
  encap: { kind: ['vxlan', 'gretap', 'etherip'] },
  transit: { kind: ['veth', 'vxlan'] },
};

function checkShape(shape: Shape, value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`refusing to render ${where}: not an object`);
  const obj = value as Record<string, unknown>;
  for (const [field, spec] of Object.entries(shape)) {
    const v = obj[field];
    const at = `${where}.${field}`;
    if (spec === 'skip') continue;
    if (Array.isArray(spec)) {
      if (!Array.isArray(v)) throw new Error(`refusing to render ${at}: not a list`);
      v.forEach((item, i) => checkShape(spec[0], item, `${at}[${i}]`));
    } else if (spec.endsWith('[]')) {
      if (!Array.isArray(v)) throw new Error(`refusing to render ${at}: not a list`);
      for (const item of v) assertSafe(spec.slice(0, -2) as SafeKind, item);
    } else if (spec.endsWith('?')) {
      if (v !== undefined) assertSafe(spec.slice(0, -1) as SafeKind, v);
    } else {
      assertSafe(spec as SafeKind, v);
    }
  }
}

export function checkResource(r: AnyResource): void {
  assertSafe('name', r.address.host);
  assertSafe('resname', r.address.name);
  const type = r.address.type;
  if (!Object.hasOwn(SHAPES, type)) throw new Error(`refusing to render unknown resource type ${JSON.stringify(type)}`);
  checkShape(SHAPES[type], r.attrs, type);
  for (const [field, allowed] of Object.entries(KINDS[type])) {
    const v = (r.attrs as unknown as Record<string, unknown>)[field];
    if (typeof v !== 'string' || !allowed.includes(v)) throw new Error(`refusing to render unsafe ${type}.${field}: ${JSON.stringify(v)}`);
  }
}
