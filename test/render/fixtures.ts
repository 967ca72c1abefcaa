// Hand-built resources, one of each type and kind, with the values the planner makes
// (bridges tvd-<id>, vxlan tvx-<id>, firewall namespaces tvdfw-<tvd>, legs tvf-<id>,
// transit ifnames to-<peer id>). Lab addresses only: 198.18.0.0/15.
import type { AnyResource, Resource } from '../../src/plan/resources.js';

const H = 'host-a';

export const proxy: Resource<'proxy'> = {
  address: { host: H, type: 'proxy', name: H },
  attrs: {
    admissions: [
      { vm: 'w1', tvd: 'web', bridge: 'tvd-5101', mac: '00:16:3e:00:01:10' },
      { vm: 'w1', tvd: 'db', bridge: 'tvd-5102', mac: '00:16:3e:00:02:10' },
      { vm: 'd1', tvd: 'db', bridge: 'tvd-5102', mac: '00:16:3e:00:02:11' },
    ],
    hookDigest: 'sha256:fixture',
  },
};

export const vswitch: Resource<'vswitch'> = {
  address: { host: H, type: 'vswitch', name: 'web' },
  attrs: { tvd: 'web', bridge: 'tvd-5101', mtu: 1450 },
};

export const vswitchDedicated: Resource<'vswitch'> = {
  address: { host: H, type: 'vswitch', name: 'finance' },
  attrs: { tvd: 'finance', bridge: 'tvd-5103', mtu: 1500, dedicated: 'eth1' },
};

export const vlan: Resource<'vlan'> = {
  address: { host: H, type: 'vlan', name: 'web' },
  attrs: { tvd: 'web', bridge: 'tvd-5101', uplink: 'eth0', id: 101, device: 'tvq-101' },
};

const encapBase = {
  tvd: 'web',
  bridge: 'tvd-5101',
  vni: 5101,
  uplink: 'eth0',
  local: '198.18.0.11',
  dstport: 4789,
  mtu: 1450,
  peers: ['198.18.0.12', '198.18.0.13'],
};

export const encapVxlan: Resource<'encap'> = {
  address: { host: H, type: 'encap', name: 'web' },
  attrs: { ...encapBase, kind: 'vxlan', device: 'tvx-5101' },
};

export const encapGretap: Resource<'encap'> = {
  address: { host: H, type: 'encap', name: 'web' },
  attrs: { ...encapBase, kind: 'gretap', device: 'tvg-5101', mtu: 1462 },
};

export const encapEtherip: Resource<'encap'> = {
  address: { host: H, type: 'encap', name: 'web' },
  attrs: { ...encapBase, kind: 'etherip', device: 'tve-5101', mtu: 1486 },
};

export const RULESET = `# tvd firewall of TVD web: managed by tvd, do not edit.
table inet tvd {
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iifname "lo" accept
    iifname "lan0" ip saddr 198.19.1.0/24 meta l4proto icmp accept
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state invalid drop
    ct state established,related accept
    iifname "lan0" ip saddr != 198.19.1.0/24 drop
    iifname "to-5102" ip saddr != 198.19.2.0/24 drop
    iifname "lan0" oifname "to-5102" ip daddr 198.19.2.0/24 tcp dport 5432 ct state new accept
  }
}
`;

export const firewall: Resource<'firewall'> = {
  address: { host: H, type: 'firewall', name: 'web' },
  attrs: {
    tvd: 'web',
    namespace: 'tvdfw-web',
    bridge: 'tvd-5101',
    leg: 'tvf-5101',
    gateway: '198.19.1.1',
    gatewayMac: '02:74:c6:13:01:01',
    subnet: '198.19.1.0/24',
    mtu: 1450,
    peers: [{ tvd: 'db', subnet: '198.19.2.0/24', ifname: 'to-5102' }],
    rules: [{ direction: 'outbound', peer: 'db', proto: 'tcp', port: 5432 }],
    ruleset: RULESET,
  },
};

export const firewallDb: Resource<'firewall'> = {
  address: { host: H, type: 'firewall', name: 'db' },
  attrs: {
    tvd: 'db',
    namespace: 'tvdfw-db',
    bridge: 'tvd-5102',
    leg: 'tvf-5102',
    gateway: '198.19.2.1',
    gatewayMac: '02:74:c6:13:02:01',
    subnet: '198.19.2.0/24',
    mtu: 1500,
    peers: [{ tvd: 'web', subnet: '198.19.1.0/24', ifname: 'to-5101' }],
    rules: [{ direction: 'inbound', peer: 'web', proto: 'tcp', port: 5432 }],
    ruleset: RULESET.replace(/web/g, 'db').replace('198.19.1.0/24 meta', '198.19.2.0/24 meta'),
  },
};

export const transitVeth: Resource<'transit'> = {
  address: { host: H, type: 'transit', name: 'db--web' },
  attrs: {
    pair: ['db', 'web'],
    kind: 'veth',
    ends: [
      {
        tvd: 'db',
        namespace: 'tvdfw-db',
        ifname: 'to-5101',
        address: '198.18.128.2/31',
        mac: '02:74:c6:12:80:02',
        peerAddress: '198.18.128.3/31',
        peerSubnet: '198.19.1.0/24',
      },
      {
        tvd: 'web',
        namespace: 'tvdfw-web',
        ifname: 'to-5102',
        address: '198.18.128.3/31',
        mac: '02:74:c6:12:80:03',
        peerAddress: '198.18.128.2/31',
        peerSubnet: '198.19.2.0/24',
      },
    ],
    mtu: 1450,
  },
};

export const transitVxlan: Resource<'transit'> = {
  address: { host: H, type: 'transit', name: 'db--web' },
  attrs: {
    pair: ['db', 'web'],
    kind: 'vxlan',
    ends: [
      {
        tvd: 'web',
        namespace: 'tvdfw-web',
        ifname: 'to-5102',
        address: '198.18.128.3/31',
        mac: '02:74:c6:12:80:03',
        peerAddress: '198.18.128.2/31',
        peerSubnet: '198.19.2.0/24',
      },
    ],
    vni: 16777001,
    device: 'tvt-1',
    uplink: 'eth0',
    local: '198.18.0.11',
    remote: '198.18.0.12',
    dstport: 4789,
    mtu: 1450,
  },
};

export const vmStarted: Resource<'vm'> = {
  address: { host: H, type: 'vm', name: 'w1' },
  attrs: {
    path: '/etc/xen/tvd/w1.cfg',
    domain: {
      type: 'pvh',
      memory: 512,
      vcpus: 1,
      kernel: '/boot/vmlinuz-guest',
      extra: 'ip=198.19.1.10::198.19.1.1:255.255.255.0::eth0:off',
    },
    start: true,
    nics: [{ tvd: 'web', bridge: 'tvd-5101', mac: '00:16:3e:00:01:10', ip: '198.19.1.10', vifname: 'tvv1a2b3c4.0', mtu: 1450 }],
  },
};

/** The xl.cfg that vmStarted writes, as it stands in its golden file. */
export const vmStartedConfig = [
  '# VM w1 on host host-a: managed by tvd, do not edit (changes are undone by the next apply).',
  'name = "w1"',
  'type = "pvh"',
  'memory = 512',
  'vcpus = 1',
  'kernel = "/boot/vmlinuz-guest"',
  'extra = "ip=198.19.1.10::198.19.1.1:255.255.255.0::eth0:off"',
  "vif = [ 'mac=00:16:3e:00:01:10,bridge=tvd-5101,ip=198.19.1.10,script=vif-tvd,vifname=tvv1a2b3c4.0,mtu=1450' ]",
  '',
].join('\n');

export const vmStopped: Resource<'vm'> = {
  address: { host: H, type: 'vm', name: 'd1' },
  attrs: {
    path: '/etc/xen/tvd/d1.cfg',
    domain: { type: 'pv', memory: 256, vcpus: 1 },
    start: false,
    nics: [{ tvd: 'db', bridge: 'tvd-5102', mac: '00:16:3e:00:02:11', vifname: 'tvv9f8e7d6.0', mtu: 1500 }],
  },
};

/** The same VM with its NICs changed: on tvd-5102 as well, and no longer... (see the bundle golden). */
export const vmStartedTwoNics: Resource<'vm'> = {
  address: vmStarted.address,
  attrs: {
    ...vmStarted.attrs,
    nics: [
      { tvd: 'web', bridge: 'tvd-5101', mac: '00:16:3e:00:01:10', ip: '198.19.1.10', vifname: 'tvv1a2b3c4.0', mtu: 1450 },
      { tvd: 'db', bridge: 'tvd-5102', mac: '00:16:3e:00:02:10', vifname: 'tvv1a2b3c4.1', mtu: 1450 },
    ],
  },
};

/** Every fixture by a file-name-friendly label. */
export const ALL: Record<string, AnyResource> = {
  proxy,
  vswitch,
  'vswitch-dedicated': vswitchDedicated,
  vlan,
  'encap-vxlan': encapVxlan,
  'encap-gretap': encapGretap,
  'encap-etherip': encapEtherip,
  firewall,
  'transit-veth': transitVeth,
  'transit-vxlan': transitVxlan,
  'vm-started': vmStarted,
  'vm-stopped': vmStopped,
};

export const vswitchDb: Resource<'vswitch'> = {
  address: { host: H, type: 'vswitch', name: 'db' },
  attrs: { tvd: 'db', bridge: 'tvd-5102', mtu: 1500 },
};
