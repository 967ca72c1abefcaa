// Injection: values built to break out of shell quoting, nftables syntax, xl.cfg syntax, file
// paths and interface names, put in every place of a topology that reaches a host, are refused
// by validation (`tvd validate`, the same loadTopology every command runs first). Table-driven:
// each value in each place. The second line of defence, rendering with validation bypassed, is
// test/render/unsafe.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { checkSources } from '../../src/topology/load.js';
import type { Topology } from '../../src/topology/schema.js';
import { tvd } from '../support/tvd-cli.js';
import { reportRow } from '../reliability/fault-kit.js';

/** A valid topology that uses every place below. */
function base(): Topology {
  return {
    version: 1,
    tvds: {
      a: {
        subnet: '198.19.1.0/24',
        gateway: '198.19.1.1',
        firewall: 'h1',
        requires: { 'storage-encryption': 'any' },
        membership: { check: 'continual', interval: '10m' },
      },
      b: { subnet: '198.19.2.0/24' },
    },
    flows: [{ from: 'a', to: 'b', connection: 'controlled', allow: [{ proto: 'tcp', port: 443 }] }],
    hosts: {
      h1: {
        address: '198.18.0.11',
        port: 22,
        user: 'root',
        uplink: 'eth0',
        segment: 'rack-1',
        dedicated: { b: 'eth1' },
        claims: { 'storage-encryption': { value: true, evidence: 'audit' } },
      },
    },
    vms: {
      v1: {
        host: 'h1',
        type: 'pvh',
        memory: 128,
        kernel: '/boot/vmlinuz',
        disk: ['phy:/dev/vg0/v1,xvda,w'],
        start: true,
        nics: [{ tvd: 'a', mac: '00:16:3e:00:01:10', ip: '198.19.1.10' }],
      },
    },
  };
}

type Place = [string, (t: Topology, v: string) => void];
const PLACES: Place[] = [
  ['tvd name', (t, v) => (t.tvds[v] = { subnet: '198.19.3.0/24' })],
  ['host name', (t, v) => (t.hosts![v] = { address: '198.18.0.12', uplink: 'eth0' })],
  ['vm name', (t, v) => (t.vms![v] = { host: 'h1', memory: 128, nics: [{ tvd: 'a' }] })],
  ['flow from', (t, v) => (t.flows![0].from = v)],
  ['flow between', (t, v) => t.flows!.push({ between: [v, 'b'], connection: 'open' })],
  ['tvd firewall host', (t, v) => (t.tvds.a.firewall = v)],
  ['tvd subnet', (t, v) => (t.tvds.a.subnet = v)],
  ['tvd gateway', (t, v) => (t.tvds.a.gateway = v)],
  ['tvd requires property', (t, v) => (t.tvds.a.requires = { [v]: 'any' })],
  ['membership interval', (t, v) => (t.tvds.a.membership!.interval = v)],
  ['host address', (t, v) => (t.hosts!.h1.address = v)],
  ['host user', (t, v) => (t.hosts!.h1.user = v)],
  ['host uplink', (t, v) => (t.hosts!.h1.uplink = v)],
  ['host segment', (t, v) => (t.hosts!.h1.segment = v)],
  ['host dedicated NIC', (t, v) => (t.hosts!.h1.dedicated = { b: v })],
  ['host dedicated TVD', (t, v) => (t.hosts!.h1.dedicated = { [v]: 'eth1' })],
  ['host claim property', (t, v) => (t.hosts!.h1.claims = { [v]: { value: true } })],
  ['vm host', (t, v) => (t.vms!.v1.host = v)],
  ['vm kernel', (t, v) => (t.vms!.v1.kernel = v)],
  ['vm disk', (t, v) => (t.vms!.v1.disk = [v])],
  ['nic tvd', (t, v) => (t.vms!.v1.nics[0].tvd = v)],
  ['nic mac', (t, v) => (t.vms!.v1.nics[0].mac = v)],
  ['nic ip', (t, v) => (t.vms!.v1.nics[0].ip = v)],
  ['allow port', (t, v) => ((t.flows![0].allow![0] as Record<string, unknown>).port = v)],
  ['defaults transit', (t, v) => (t.defaults = { transit: v })],
];

/** [what it tries to break, value]. */
const VALUES: [string, string][] = [
  ['shell: command separator', 'x;reboot'],
  ['shell: command substitution', '$(reboot)'],
  ['shell: backticks', '`reboot`'],
  ['shell: single quote break-out', "x' ; reboot ; '"],
  ['shell: double quote break-out', 'x" ; reboot ; "'],
  ['shell: newline', 'x\nreboot'],
  ['shell: space splits words', 'x reboot'],
  ['shell: pipe and ampersand', 'x|reboot&'],
  ['shell: glob', 'x*'],
  ['shell: option injection', '-rf'],
  ['shell: NUL byte', 'x\u0000y'],
  ['nft: close a block, flush', 'x } ; flush ruleset ; table inet y {'],
  ['nft: comment out the rest', 'x # accept'],
  ['xl.cfg: close the string, add a key', '", script="/tmp/evil'],
  ['xl.cfg: close the list', "'] ; bootloader = '/tmp/evil"],
  ['xl.cfg: vif option injection', 'tvd-1,script=/tmp/evil'],
  ['path: climb out', '../../etc/shadow'],
  ['path: climb out of an absolute path', '/etc/xen/../../etc/shadow'],
  ['ifname: 16 characters', 'tvd-abcdefghijkl'],
  ['ifname: slash', 'eth0/../lo'],
  ['unicode: right-to-left override', 'x\u202eexe'],
];

/**
 * The few (place, value) pairs that are fine: a disk spec is the operator's device for the VM,
 * written inside xl.cfg quotes that its pattern admits no quote, bracket, space or newline to
 * close; `..` or a leading `-` there reaches no shell and no path tvd writes. (Its `script=`,
 * a program xl runs in Dom0, is refused: test/security/xl-config-strings.test.ts.)
 */
const HARMLESS = new Set(['vm disk|-rf', 'vm disk|../../etc/shadow', 'vm disk|/etc/xen/../../etc/shadow', 'vm disk|eth0/../lo']);

/** Values that attack one kind of place only: a 16-character word is a fine name (names hold 32; interface names on hosts are derived from ids), but not an interface name. */
const ONLY_IN: Record<string, string[]> = { 'tvd-abcdefghijkl': ['host uplink', 'host dedicated NIC'] };

function check(t: Topology): ReturnType<typeof checkSources> {
  return checkSources([{ file: 'topology.yaml', text: yaml.dump(t, { lineWidth: -1 }) }]);
}

test("the base topology is valid (so every refusal below is the value's doing)", () => {
  const r = check(base());
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.map((d) => d.message).join('\n'));
});

test('every hostile value in every place is refused by validation, with a message, never a throw', (t) => {
  const accepted: string[] = [];
  let tried = 0;
  for (const [place, set] of PLACES) {
    for (const [what, value] of VALUES) {
      if (HARMLESS.has(`${place}|${value}`) || (ONLY_IN[value] && !ONLY_IN[value].includes(place))) continue;
      const topo = base();
      set(topo, value);
      tried++;
      const r = check(topo);
      if (r.ok) accepted.push(`${place} = ${JSON.stringify(value)} (${what})`);
      else assert.ok(r.diagnostics.length > 0 && r.diagnostics.every((d) => d.message.length > 0));
    }
  }
  reportRow(t, {
    area: 'bad input',
    badInputs: tried,
    attacksRefused: tried - accepted.length,
    note: `${VALUES.length} hostile values x ${PLACES.length} places, through validation`,
  });
  assert.deepEqual(accepted, [], 'accepted hostile values');
});

test('tvd validate refuses them from the command line: exit 1, file:line:col, no stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-inject-'));
  try {
    for (const [place, set] of PLACES.filter((_, i) => i % 4 === 0)) {
      const topo = base();
      set(topo, "x' ; reboot ; '");
      const file = join(dir, 'topology.yaml');
      writeFileSync(file, yaml.dump(topo, { lineWidth: -1 }));
      const r = await tvd(['validate', file]);
      assert.equal(r.code, 1, `${place}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /topology\.yaml:\d+:\d+: /, place);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${place}: no stack trace`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
