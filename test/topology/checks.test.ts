// One test per check of meaning (and the schema's messages), on small topologies in memory.
// Positions are pinned by the fixture corpus (fixtures.test.ts); here: paths and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, problems } from './helpers.js';

/** The problems without their line:col, for tests about what is said rather than where. */
const said = (text: string) => problems(text).map((p) => p.replace(/^\d+:\d+: /, ''));
const withBase = (extra: string) => BASE + extra;

test('the base topology is valid', () => {
  assert.deepEqual(problems(BASE), []);
});

test('references: a VM host, a NIC TVD, flow ends, a firewall host and a dedicated TVD must exist', () => {
  const t =
    BASE.replace('host: h2', 'host: h3').replace('{tvd: web, ip', '{tvd: webb, ip') +
    'flows:\n  - {from: web, to: nosuch, connection: closed}\n  - {between: [db, other], connection: closed}\n';
  assert.deepEqual(said(t), [
    "vms.w1.nics[0].tvd: no TVD named 'webb'; did you mean 'web'?",
    "vms.d1.host: no host named 'h3'; did you mean 'h1'?",
    "flows[0].to: no TVD named 'nosuch'; the TVDs are: web, db",
    "flows[1].between[1]: no TVD named 'other'; the TVDs are: web, db",
  ]);
  const fw = BASE.replace('web: {subnet: 198.19.1.0/24}', 'web: {subnet: 198.19.1.0/24, firewall: h7}').replace(
    'h1: {address: 198.18.0.11, uplink: eth0}',
    'h1: {address: 198.18.0.11, uplink: eth0, dedicated: {dbx: eth1}}',
  );
  assert.deepEqual(said(fw), [
    "tvds.web.firewall: no host named 'h7'; did you mean 'h1'?",
    "hosts.h1.dedicated.dbx: no TVD named 'dbx'; did you mean 'db'?",
  ]);
});

test('names: TVD, host and VM names follow the rule, said in words', () => {
  const rule = "names are lower-case letters, digits and '-', starting with a letter, at most 32";
  assert.deepEqual(said(BASE.replace('  db: {subnet', '  DB: {subnet').replace('tvd: db', 'tvd: DB')), [
    `tvds.DB: 'DB' is not a valid name: ${rule}`,
    `vms.d1.nics[0].tvd: 'DB' is not valid: ${rule}`,
  ]);
  assert.deepEqual(said(BASE.replace('  w1: {host', '  "w1$(reboot)": {host')), [
    `vms.w1$(reboot): 'w1$(reboot)' is not a valid name: ${rule}`,
  ]);
  assert.deepEqual(said(BASE.replace('  h2: {address', '  2h: {address').replace('host: h2', 'host: 2h')), [
    `hosts.2h: '2h' is not a valid name: ${rule}`,
    `vms.d1.host: '2h' is not valid: ${rule}`,
  ]);
  assert.deepEqual(said(BASE.replace('host: h1,', 'host: Host1,')), [`vms.w1.host: 'Host1' is not valid: ${rule}`]);
});

test('VLAN ids and VNIs are unique and in range', () => {
  const t = BASE.replace('web: {subnet: 198.19.1.0/24}', 'web: {subnet: 198.19.1.0/24, vlan: 101, vni: 7}').replace(
    'db: {subnet: 198.19.2.0/24}',
    'db: {subnet: 198.19.2.0/24, vlan: 101, vni: 7}',
  );
  assert.deepEqual(said(t), [
    'tvds.db.vlan: 101 is already used by tvds.web; pick another VLAN id or leave it out and let the planner choose',
    'tvds.db.vni: 7 is already used by tvds.web; pick another VNI or leave it out and let the planner choose',
  ]);
  assert.deepEqual(said(BASE.replace('web: {subnet: 198.19.1.0/24}', 'web: {subnet: 198.19.1.0/24, vlan: 1, vni: 16777216}')), [
    'tvds.web.vlan: 1 is out of range: it must be 2..4094',
    'tvds.web.vni: 16777216 is out of range: it must be 1..16777215',
  ]);
});

test('subnets: network addresses, room for hosts, no overlap', () => {
  assert.deepEqual(said(BASE.replace('198.19.2.0/24}', '198.19.0.0/17}')), [
    'tvds.db.subnet: 198.19.0.0/17 overlaps tvds.web.subnet (198.19.1.0/24); TVD subnets must not overlap',
  ]);
  assert.deepEqual(said(BASE.replace('198.19.2.0/24}', '198.19.2.9/24}')), [
    'tvds.db.subnet: 198.19.2.9/24 is not a network address (it has host bits set); did you mean 198.19.2.0/24?',
  ]);
  assert.deepEqual(said(BASE.replace('198.19.2.0/24}', '198.19.2.0/32}').replace(', ip: 198.19.2.10', '')), [
    'tvds.db.subnet: 198.19.2.0/32 is too small: a TVD subnet needs room for its gateway and VMs; use /30 or larger',
  ]);
  assert.deepEqual(said(BASE.replace('198.19.2.0/24}', '198.19.2.0/33}').replace(', ip: 198.19.2.10', '')), [
    "tvds.db.subnet: '198.19.2.0/33' is not valid: it must be an IPv4 subnet like 198.19.1.0/24",
  ]);
});

test('NIC addresses: inside the subnet, not network, broadcast or gateway, unique', () => {
  const ip = (a: string) => BASE.replace('ip: 198.19.1.10', `ip: ${a}`);
  assert.deepEqual(said(ip('198.19.2.11')), ["vms.w1.nics[0].ip: 198.19.2.11 is not in the subnet of TVD 'web' (198.19.1.0/24)"]);
  assert.deepEqual(said(ip('198.19.1.0')), ['vms.w1.nics[0].ip: 198.19.1.0 is the network address of 198.19.1.0/24; pick a host address']);
  assert.deepEqual(said(ip('198.19.1.255')), [
    'vms.w1.nics[0].ip: 198.19.1.255 is the broadcast address of 198.19.1.0/24; pick a host address',
  ]);
  assert.deepEqual(said(ip('198.19.1.1')), [
    "vms.w1.nics[0].ip: 198.19.1.1 is the gateway of TVD 'web' (the first host address, by default); pick another address",
  ]);
  const gw = BASE.replace('web: {subnet: 198.19.1.0/24}', 'web: {subnet: 198.19.1.0/24, gateway: 198.19.1.10}');
  assert.deepEqual(said(gw), ["vms.w1.nics[0].ip: 198.19.1.10 is the gateway of TVD 'web'; pick another address"]);
  const dup = withBase('  w2: {host: h2, memory: 128, nics: [{tvd: web, ip: 198.19.1.10}]}\n');
  assert.deepEqual(said(dup), ['vms.w2.nics[0].ip: 198.19.1.10 is already used by vms.w1.nics[0]; each NIC needs its own address']);
  assert.deepEqual(said(BASE.replace('ip: 198.19.1.10', 'ip: 198.19.1.1000')), [
    "vms.w1.nics[0].ip: '198.19.1.1000' is not valid: it must be an IPv4 address like 198.19.1.10",
  ]);
});

test('MACs: unicast and unique (case does not make a MAC different)', () => {
  const t = withBase(
    '  w2: {host: h2, memory: 128, nics: [{tvd: web, mac: "00:16:3e:aa:bb:cc"}]}\n' +
      '  w3: {host: h2, memory: 128, nics: [{tvd: web, mac: "00:16:3E:AA:BB:CC"}]}\n' +
      '  w4: {host: h2, memory: 128, nics: [{tvd: web, mac: "ff:ff:ff:ff:ff:ff"}]}\n' +
      '  w5: {host: h2, memory: 128, nics: [{tvd: web, mac: "00:00:00:00:00:00"}]}\n',
  );
  assert.deepEqual(said(t), [
    'vms.w3.nics[0].mac: 00:16:3E:AA:BB:CC is already used by vms.w2.nics[0]; each NIC needs its own MAC',
    'vms.w4.nics[0].mac: ff:ff:ff:ff:ff:ff is a multicast address (the first octet is odd); a NIC needs a unicast MAC, e.g. 00:16:3e:...',
    'vms.w5.nics[0].mac: 00:00:00:00:00:00 is not a usable MAC; leave it out to have one derived',
  ]);
});

test('flows: open or controlled needs subnets on both sides; closed does not', () => {
  const t = BASE.replace('db: {subnet: 198.19.2.0/24}', 'db: {}').replace(', ip: 198.19.2.10', '');
  assert.deepEqual(said(t + 'flows:\n  - {from: web, to: db, connection: closed}\n'), []);
  assert.deepEqual(said(t + 'flows:\n  - {between: [db, web], connection: open}\n'), [
    "flows[0].between[0]: TVD 'db' has no subnet; an open connection routes between subnets, so give it one",
  ]);
  assert.deepEqual(said(t + 'defaults: {flow: open}\n'), [
    "tvds.db: has no subnet, but defaults.flow is open, so it is connected to 'web'; give it a subnet, or close its flows",
  ]);
  assert.deepEqual(said(t + 'defaults: {flow: open}\nflows:\n  - {between: [db, web], connection: closed}\n'), []);
});

test('flows: from/to/between never name one TVD twice, and a flow has exactly one form', () => {
  const f = (line: string) => said(withBase(`flows:\n  - ${line}\n`));
  assert.deepEqual(f('{from: web, to: web, connection: open}'), [
    "flows[0].to: 'web' is both 'from' and 'to'; a flow joins two different TVDs (inside a TVD traffic is always open)",
  ]);
  assert.deepEqual(f('{between: [db, db], connection: open}'), [
    "flows[0].between[1]: 'db' is named twice; a flow joins two different TVDs (inside a TVD traffic is always open)",
  ]);
  assert.deepEqual(f('{from: web, to: db, between: [web, db], connection: open}'), [
    "flows[0]: give either 'from' and 'to' (one direction) or 'between' (both), not both",
  ]);
  assert.deepEqual(f('{connection: open}'), ["flows[0]: a flow needs 'from' and 'to' (one direction) or 'between' (both)"]);
  assert.deepEqual(f('{to: db, connection: open}'), ["flows[0]: missing key 'from': a directional flow has both 'from' and 'to'"]);
  assert.deepEqual(f('{between: [db], connection: open}'), ['flows[0].between: must name exactly two TVDs']);
  assert.deepEqual(f('{from: web, to: db}'), ["flows[0]: missing key 'connection'"]);
});

test('flows: allow only on controlled, controlled needs allow, port only with tcp and udp', () => {
  const f = (line: string) => said(withBase(`flows:\n  - ${line}\n`));
  assert.deepEqual(f('{from: web, to: db, connection: open, allow: [{proto: tcp}]}'), [
    "flows[0].allow: 'allow' is only for controlled connections; this one is open",
  ]);
  assert.deepEqual(f('{from: web, to: db, connection: controlled}'), [
    "flows[0]: a controlled connection needs 'allow' with at least one rule; use 'closed' to forward nothing",
  ]);
  assert.deepEqual(f('{from: web, to: db, connection: controlled, allow: [{proto: icmp, port: 1}, {proto: udp, port: 53}]}'), [
    'flows[0].allow[0].port: a port applies only to tcp and udp, not icmp',
  ]);
  assert.deepEqual(f('{from: web, to: db, connection: controlled, allow: [{proto: sctp}]}'), [
    "flows[0].allow[0].proto: 'sctp' is not one of: tcp, udp, icmp",
  ]);
  assert.deepEqual(f('{from: web, to: db, connection: controlled, allow: [{proto: tcp, port: 70000}]}'), [
    'flows[0].allow[0].port: 70000 is out of range: it must be 1..65535',
  ]);
});

test('flows: no ordered pair gets two contradicting rules; a repeat of the same rule is fine', () => {
  const fl = (...lines: string[]) => said(withBase('flows:\n' + lines.map((l) => `  - ${l}\n`).join('')));
  assert.deepEqual(fl('{between: [web, db], connection: open}', '{from: db, to: web, connection: closed}'), [
    'flows[1]: contradicts an earlier flow: db -> web is closed here but open in the flow at 12:5; keep one',
  ]);
  assert.deepEqual(
    fl(
      '{from: web, to: db, connection: controlled, allow: [{proto: tcp, port: 1}]}',
      '{from: web, to: db, connection: controlled, allow: [{proto: tcp, port: 2}]}',
    ),
    ['flows[1]: contradicts an earlier flow: web -> db is given different allow rules here and in the flow at 12:5; keep one'],
  );
  // Same rules in another order, and the reverse direction with a different rule: no contradiction.
  assert.deepEqual(
    fl(
      '{from: web, to: db, connection: controlled, allow: [{proto: icmp}, {proto: tcp, port: 1}]}',
      '{from: web, to: db, connection: controlled, allow: [{proto: tcp, port: 1}, {proto: icmp}]}',
      '{from: db, to: web, connection: closed}',
    ),
    [],
  );
});

test('firewall and gateway: the firewall host exists (see references), the gateway lies in the subnet', () => {
  const g = (gw: string) => said(BASE.replace('db: {subnet: 198.19.2.0/24}', `db: {subnet: 198.19.2.0/24, gateway: ${gw}}`));
  assert.deepEqual(g('198.19.3.1'), ['tvds.db.gateway: 198.19.3.1 is not in the subnet 198.19.2.0/24']);
  assert.deepEqual(g('198.19.2.0'), ['tvds.db.gateway: 198.19.2.0 is the network address of 198.19.2.0/24; pick a host address']);
  assert.deepEqual(g('198.19.2.255'), ['tvds.db.gateway: 198.19.2.255 is the broadcast address of 198.19.2.0/24; pick a host address']);
  assert.deepEqual(g('198.19.2.254'), []);
  assert.deepEqual(said(BASE.replace('db: {subnet: 198.19.2.0/24}', 'db: {gateway: 198.19.2.1}').replace(', ip: 198.19.2.10', '')), [
    'tvds.db.gateway: a gateway needs a subnet; add a subnet to this TVD',
  ]);
});

test('hosts: a dedicated NIC is not the uplink nor shared by two TVDs; SSH endpoints are unique', () => {
  const h = (line: string) => said(BASE.replace('h1: {address: 198.18.0.11, uplink: eth0}', line));
  assert.deepEqual(h('h1: {address: 198.18.0.11, uplink: eth0, dedicated: {web: eth0}}'), [
    "hosts.h1.dedicated.web: eth0 is this host's uplink; a dedicated NIC must be another NIC, one that carries only TVD 'web'",
  ]);
  assert.deepEqual(h('h1: {address: 198.18.0.11, uplink: eth0, dedicated: {web: eth1, db: eth1}}'), [
    "hosts.h1.dedicated.db: eth1 is already dedicated to TVD 'web'; a dedicated NIC belongs to one TVD alone",
  ]);
  assert.deepEqual(h('h1: {address: 198.18.0.12, uplink: eth0, port: 22}'), [
    'hosts.h2.address: 198.18.0.12:22 is already used by hosts.h1; two hosts need two SSH endpoints',
  ]);
  assert.deepEqual(h('h1: {address: 198.18.0.12, uplink: eth0, port: 2222}'), []);
  assert.deepEqual(h('h1: {address: 198.18.0.11, uplink: "eth0; reboot"}'), [
    "hosts.h1.uplink: 'eth0; reboot' is not valid: interface names are letters, digits, '_', '.' and '-', starting with a letter, at most 15",
  ]);
});

test('VMs: one NIC per TVD', () => {
  assert.deepEqual(said(BASE.replace('nics: [{tvd: web, ip: 198.19.1.10}]', 'nics: [{tvd: web}, {tvd: db}, {tvd: web}]')), [
    "vms.w1.nics[2].tvd: this VM already has a NIC on TVD 'web' (nics[0]); one NIC per TVD",
  ]);
});

test('membership: interval only with continual, and continual needs one', () => {
  const m = (v: string) => said(BASE.replace('db: {subnet: 198.19.2.0/24}', `db: {subnet: 198.19.2.0/24, membership: ${v}}`));
  assert.deepEqual(m('{interval: 5m}'), [
    "tvds.db.membership.interval: 'interval' applies only to 'check: continual'; add that or drop the interval",
  ]);
  assert.deepEqual(m('{check: continual}'), [
    "tvds.db.membership: missing key 'interval': 'check: continual' needs one, e.g. 'interval: 10m'",
  ]);
  assert.deepEqual(m('{check: continual, interval: 5m}'), []);
  assert.deepEqual(m('{check: continual, interval: 5m, onFailure: isolate}'), []);
  assert.deepEqual(m('{onFailure: isolate}'), [
    "tvds.db.membership.onFailure: 'onFailure' applies only to 'check: continual' (a host failing a one-time check blocks the plan); add that or drop it",
  ]);
  assert.deepEqual(m('{check: continual, interval: 5 minutes}'), [
    "tvds.db.membership.interval: '5 minutes' is not valid: it must be a duration like 30s, 10m or 2h",
  ]);
});

test('isolation: none: at most one such TVD per segment', () => {
  const t = BASE.replace('web: {subnet: 198.19.1.0/24}', 'web: {subnet: 198.19.1.0/24, isolation: none}')
    .replace('db: {subnet: 198.19.2.0/24}', 'db: {subnet: 198.19.2.0/24, isolation: none}')
    .replace('uplink: eth0}', 'uplink: eth0, segment: s1}')
    .replace('uplink: eth0}', 'uplink: eth0, segment: s1}');
  assert.deepEqual(said(t), [
    "tvds.db.isolation: TVD 'web' already uses the uplink untagged on segment 's1'; only one TVD per segment may have 'isolation: none'",
  ]);
  assert.deepEqual(said(t.replace('segment: s1}\n  h2', 'segment: s2}\n  h2')), []);
});

test('schema messages: unknown and missing keys, types, enums, and one message per mistake', () => {
  assert.deepEqual(said(BASE.replace('memory: 128, nics: [{tvd: web', 'memroy: 128, nics: [{tvd: web')), [
    "vms.w1: missing key 'memory'",
    "vms.w1.memroy: unknown key 'memroy'; did you mean 'memory'?",
  ]);
  assert.deepEqual(said(BASE.replace('web: {subnet: 198.19.1.0/24}', 'web: {subnet: 198.19.1.0/24, isolation: strict}')), [
    "tvds.web.isolation: 'strict' is not one of: required, none",
  ]);
  assert.deepEqual(said(BASE.replace('web: {subnet: 198.19.1.0/24}', 'web: {subnet: 198.19.1.0/24, isolation: 1}')), [
    'tvds.web.isolation: 1 is not one of: required, none',
  ]);
  assert.deepEqual(said(BASE.replace('web: {subnet: 198.19.1.0/24}', 'web: {subnet: 198.19.1.0/24, requires: {tpm: [trust, trust]}}')), [
    "tvds.web.requires.tpm[1]: 'trust' is listed twice",
  ]);
  assert.deepEqual(said(BASE + 'extra: 1\n'), [
    "extra: unknown key 'extra'; known keys: version, defaults, tvds, flows, hosts, vms, backend",
  ]);
  assert.deepEqual(said('version: 1\ntvds: []\n'), ['tvds: must be a map, not a list']);
  assert.deepEqual(said('version: 1\ntvds:\n  web:\n'), ['tvds.web: must be a map, not empty; write {} for one with nothing set']);
  assert.deepEqual(said('version: "1"\ntvds: {}\n'), ["version: must be 1, not '1'"]);
});
