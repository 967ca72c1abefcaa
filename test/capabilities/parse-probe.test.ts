// The probe parser on recorded probe outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProbe } from '../../src/capabilities/parse-probe.js';
import { capabilitiesProblems } from '../../src/capabilities/validate.js';
import type { Capabilities } from '../../src/capabilities/schema.js';

const AT = '2026-11-26T10:00:00Z';

// This machine's kernel (no 802.1Q, no GRE), no Xen, run in a network namespace.
const NO_XEN = `probe 1
uid 0
mech bridge 1
mech vlan 0
mech vxlan 1
mech gretap 0
mech etherip 0
mech nftables 1
link eth0 1450
addr lo 127.0.0.1/8
addr eth0 198.18.254.6/30
tpm 0
crypt 
rootusers root 
end
`;

// A Xen Dom0 with a TPM that quotes, a dm-crypt root, VLAN and GRETAP, tvd's own links present.
const XEN_TPM = `probe 1
uid 0
mech bridge 1
mech vlan 1
mech vxlan 1
mech gretap 1
mech etherip 0
mech nftables 1
link eth0 9000
link eth1 1500
link tvd-3 1450
link tvx-3 1450
link vif4.0 1500
link xenbr0 1500
addr lo 127.0.0.1/8
addr xenbr0 198.18.0.11/24
addr xenbr0 198.18.0.99/24
xen toolstack xl
xen xen_major 4
xen xen_minor 17
xen xen_version 4.17.3-pre
hypervisor 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 /boot/xen-4.17.gz
tpm 1
tpmquote 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae
crypt cryptroot cryptswap 
rootusers root toor 
end
`;

function ok(output: string): Capabilities {
  const r = parseProbe('host-a', output, AT);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(capabilitiesProblems(r.capabilities), []);
  return r.capabilities;
}

test('no Xen, no VLAN: encapsulation over IP only', () => {
  assert.deepEqual(ok(NO_XEN), {
    host: 'host-a',
    collectedAt: AT,
    functional: ['ethernet', 'ip'],
    mechanisms: { bridge: true, vlan: false, vxlan: true, gretap: false, etherip: false, nftables: true },
    uplinks: { eth0: { mtu: 1450, address: '198.18.254.6' } },
    xen: { version: 'none', toolstack: 'none' },
    properties: {
      tpm: { value: false, evidence: 'introspection' },
      'storage-encryption': { value: false, evidence: 'introspection' },
      'root-users': { value: ['root'], evidence: 'introspection' },
    },
  });
});

test('a Xen host with a TPM quote: immutable-log integrity, tvd and Xen links are not uplinks', () => {
  const c = ok(XEN_TPM);
  assert.deepEqual(c.functional, ['vlan', 'ethernet', 'ip']);
  assert.deepEqual(c.uplinks, { eth0: { mtu: 9000 }, eth1: { mtu: 1500 }, xenbr0: { mtu: 1500, address: '198.18.0.11' } });
  assert.deepEqual(c.xen, { version: '4.17', toolstack: 'xl', hypervisorBinary: '/boot/xen-4.17.gz' });
  assert.deepEqual(c.properties['hypervisor-integrity'], {
    value: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    evidence: 'immutable-log',
  });
  assert.deepEqual(c.properties['tpm-quote'], {
    value: 'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
    evidence: 'immutable-log',
  });
  assert.deepEqual(c.properties.tpm, { value: true, evidence: 'introspection' });
  assert.deepEqual(c.properties['storage-encryption'], { value: true, evidence: 'introspection' });
  assert.deepEqual(c.properties['root-users'], { value: ['root', 'toor'], evidence: 'introspection' });
});

test('a self-reported digest is mutable-log; a failed quote gives no tpm-quote', () => {
  const out = XEN_TPM.replace(/^tpmquote .*$/m, 'tpmquote failed').replace('xen xen_version 4.17.3-pre\n', '');
  const c = ok(out);
  assert.equal(c.properties['hypervisor-integrity'].evidence, 'mutable-log');
  assert.equal(c.properties['tpm-quote'], undefined);
  assert.equal(c.xen.version, '4.17', 'from xen_major and xen_minor');
});

test('no uplink address: no IP capability', () => {
  const c = ok(NO_XEN.replace('addr eth0 198.18.254.6/30\n', ''));
  assert.deepEqual(c.functional, ['ethernet']);
  assert.deepEqual(c.uplinks, { eth0: { mtu: 1450 } });
});

test('unusable outputs are errors that say why', () => {
  const err = (out: string) => {
    const r = parseProbe('host-a', out, AT);
    assert.ok(!r.ok);
    return r.error;
  };
  assert.match(err(''), /printed no result/);
  assert.match(err(NO_XEN.replace('end\n', '')), /cut off/);
  assert.match(err(NO_XEN.replace('uid 0', 'uid 1000')), /uid 1000.*root/);
  assert.match(err(NO_XEN.replace('probe 1', 'probe 9')), /format 9/);
});

test('br_netfilter: its settings, the forward-hook drop policies, and which tables accept tvd bridges', () => {
  const out = NO_XEN.replace(
    'mech nftables 1\n',
    `mech nftables 1
brnf iptables 1
brnf ip6tables 0
brnf arptables 1
fwddrop ip iptables-legacy filter FORWARD
fwddrop ip nft filter FORWARD
fwddrop inet nft docker-6 forwarding
fwdaccept ip nft filter
fwddrop ip nft bad;name FORWARD
fwddrop ipx nft filter FORWARD
`,
  );
  assert.deepEqual(ok(out).bridgeNetfilter, {
    callIptables: true,
    callIp6tables: false,
    callArptables: true,
    forwardDrops: [
      { family: 'ip', source: 'iptables-legacy', table: 'filter', chain: 'FORWARD', acceptsTvd: false },
      { family: 'ip', source: 'nft', table: 'filter', chain: 'FORWARD', acceptsTvd: true },
      { family: 'inet', source: 'nft', table: 'docker-6', chain: 'forwarding', acceptsTvd: false },
    ],
  });
  assert.equal(ok(NO_XEN).bridgeNetfilter, undefined, 'no br_netfilter, no model of it');
});
