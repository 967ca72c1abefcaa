// The renderer's second line of defence: whatever slips past the schema and the planner,
// nothing unsafe reaches a script. These resources are built by hand, bypassing validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { assertSafe, renderDown, renderHostBundle, renderUp, shQuote } from '../../src/apply/render/index.js';
import type { AnyResource, Resource } from '../../src/plan/resources.js';
import { xlConfig } from '../../src/plan/xl-config.js';
import { ipBatch } from '../../src/apply/render/links.js';
import * as fx from './fixtures.js';

const EVIL = ["'; rm -rf /", '$(reboot)', '`reboot`', 'tvd-1\nreboot', 'a b', '../../etc/shadow', 'tvd-5101;id', '"x"', ''];
const LONG_IFNAME = 'tvd-12345678901'; // 15 is the limit: this is 15, plus one below

function withAttrs<R extends AnyResource>(r: R, patch: Record<string, unknown>): AnyResource {
  return { address: r.address, attrs: { ...r.attrs, ...patch } } as unknown as AnyResource;
}

function assertBothThrow(r: AnyResource, why: string): void {
  assert.throws(() => renderUp(r), /unsafe|refusing/, `up: ${why}`);
  assert.throws(() => renderDown(r), /unsafe|refusing/, `down: ${why}`);
  assert.throws(
    () => renderHostBundle(r.address.host, [{ address: r.address, action: 'create', after: r }]),
    /unsafe|refusing/,
    `bundle: ${why}`,
  );
}

test('every topology-derived field refuses shell metacharacters, newlines, .. and over-long names', () => {
  const cases: [AnyResource, string, unknown[]][] = [
    [fx.vswitch, 'bridge', [...EVIL, `${LONG_IFNAME}6`]],
    [fx.vswitch, 'mtu', ['1500; reboot', -1, 1.5, NaN, '1e3']],
    [fx.vlan, 'device', EVIL],
    [fx.vlan, 'uplink', EVIL],
    [fx.vlan, 'id', ['101 ; id', -5]],
    [fx.encapVxlan, 'device', [...EVIL, `${LONG_IFNAME}6`]],
    [fx.encapVxlan, 'local', ['198.18.0.11; id', '198.18.0.256', '198.18.0.1\n', '$(id)']],
    [fx.encapVxlan, 'peers', [['198.18.0.12', "'; rm -rf /"], ['198.18.0.12\n198.18.0.13']]],
    [fx.encapGretap, 'peers', [['$(reboot)']]],
    [fx.encapVxlan, 'vni', ['5101 dev lo', -1]],
    [fx.firewall, 'namespace', EVIL],
    [fx.firewall, 'leg', EVIL],
    [fx.firewall, 'gateway', ['198.19.1.1/24; id', '$(id)']],
    [fx.firewall, 'subnet', ['198.19.1.0/24; id', '198.19.1.0/33']],
    [fx.transitVxlan, 'remote', ["198.18.0.12'; id"]],
    [fx.transitVxlan, 'device', [`${LONG_IFNAME}6`, '$(id)']],
    [
      fx.vmStarted,
      'path',
      ['/etc/xen/../shadow', '/etc/xen/tvd/w1.cfg; reboot', 'etc/xen/w1.cfg', '/etc/xen/w 1.cfg', '/etc/xen/$(id).cfg', '/etc/xen/./x'],
    ],
  ];
  for (const [base, field, values] of cases) {
    for (const v of values) assertBothThrow(withAttrs(base, { [field]: v }), `${base.address.type}.${field} = ${JSON.stringify(v)}`);
  }
});

test('nested values are checked too: transit ends, NICs, admissions', () => {
  const end = fx.transitVeth.attrs.ends[0];
  for (const [k, v] of [
    ['namespace', '$(id)'],
    ['ifname', 'to-5101\nreboot'],
    ['address', '198.18.128.2/31; id'],
    ['peerAddress', "198.18.128.3'"],
    ['peerSubnet', '0.0.0.0/0 dev lo; id'],
  ] as const) {
    assertBothThrow(withAttrs(fx.transitVeth, { ends: [{ ...end, [k]: v }, fx.transitVeth.attrs.ends[1]] }), `ends[0].${k}`);
  }
  // JSON injection into policy.json, and a hostile VM name.
  for (const patch of [{ vm: 'w1","bridge":"tvd-1' }, { bridge: 'tvd-5101"' }, { mac: '00:16:3e:00:01:10\n{"vm":"x"' }, { tvd: 'web\n' }]) {
    const admissions = [{ ...fx.proxy.attrs.admissions[0], ...patch }];
    assert.throws(() => renderUp(withAttrs(fx.proxy, { admissions })), /unsafe|refusing/, JSON.stringify(patch));
  }
  const nic = fx.vmStartedTwoNics.attrs.nics[1];
  for (const patch of [
    { mac: "00:16:3e:00:02:10'" },
    { bridge: 'tvd-5102,script=/tmp/x' },
    { vifname: 'x\ny' },
    { ip: '198.19.2.10,script=evil' },
  ]) {
    const after = withAttrs(fx.vmStartedTwoNics, { nics: [fx.vmStartedTwoNics.attrs.nics[0], { ...nic, ...patch }] });
    assert.throws(
      () => renderHostBundle('host-a', [{ address: after.address, action: 'update', before: fx.vmStarted, after }]),
      /unsafe|refusing/,
      JSON.stringify(patch),
    );
  }
});

test('addresses: host and resource names reach paths and progress lines, so they are checked', () => {
  for (const host of ["host-a'; id", 'host-a\nx', '../x']) {
    const r = { ...fx.vswitch, address: { ...fx.vswitch.address, host } } as AnyResource;
    assertBothThrow(r, `host ${JSON.stringify(host)}`);
  }
  for (const name of ['../../etc', 'w1; reboot', 'W1', 'a/b', '$(id)']) {
    const r = { ...fx.vmStarted, address: { ...fx.vmStarted.address, name } } as AnyResource;
    assertBothThrow(r, `name ${JSON.stringify(name)}`);
  }
});

test('config text is data: quotes, $(...) and newlines are written, never run', () => {
  const extra = "name = \"w1\"\n# it's $(reboot) and `reboot`\n'\\''\n";
  const r = withAttrs(fx.vmStopped, { domain: { ...fx.vmStopped.attrs.domain, extra } }) as Resource<'vm'>;
  const up = renderUp(r);
  assert.ok(up.includes(shQuote(xlConfig('d1', r.address.host, r.attrs))));
  // A recorded config of the old form (text) is data as well.
  const legacy = { ...r, attrs: { path: r.attrs.path, config: extra, start: false, nics: [] } } as unknown as Resource<'vm'>;
  assert.ok(renderUp(legacy).includes(shQuote(extra)));
});

test('a number bound for the xl.cfg that is no integer, or an unknown guest type, is refused', () => {
  for (const domain of [
    { ...fx.vmStopped.attrs.domain, memory: '256\nkernel = "/x"' },
    { ...fx.vmStopped.attrs.domain, vcpus: 1.5 },
    { ...fx.vmStopped.attrs.domain, type: 'hvm"\nx' },
  ])
    assert.throws(() => renderUp(withAttrs(fx.vmStopped, { domain } as never)), /refusing/);
  const nics = [{ ...fx.vmStopped.attrs.nics[0], mtu: '1500,script=/bin/evil' }];
  assert.throws(() => renderUp(withAttrs(fx.vmStopped, { nics } as never)), /refusing/);
});

test('assertSafe accepts what the planner makes', () => {
  assertSafe('name', 'host-a');
  assertSafe('resname', 'finance--hr');
  assertSafe('ifname', 'tvv1a2b3c4.0');
  assertSafe('ifname', 'tvd-16777215');
  assertSafe('ipv4', '198.18.0.11');
  assertSafe('cidr', '198.18.128.2/31');
  assertSafe('mac', '00:16:3e:00:01:10');
  assertSafe('path', '/etc/xen/tvd/w1.cfg');
  assertSafe('int', 16777215);
  assert.throws(() => assertSafe('mac', '00:16:3E:00:01:10'), /unsafe/);
  assert.throws(() => assertSafe('ifname', 'tvd-1234567890ab'), /unsafe/);
});

test('shQuote round-trips any string through sh', () => {
  for (const s of ["it's", "'", "''", '$(id)', '`id`', 'a\nb', '\\', '"', ' x ', '', '%s', '-n']) {
    const r = spawnSync('sh', ['-c', `printf '%s' ${shQuote(s)}`], { encoding: 'utf8' });
    assert.equal(r.stdout, s);
  }
  assert.throws(() => shQuote('a\0b'), /NUL/);
});

test("ipBatch takes only words ip's batch reader reads as they are", () => {
  assert.deepEqual(ipBatch(null, [['link', 'set', 'dev', 'tvx-5101', 'mtu', '1450']]), [
    "ip -batch - <<'TVD_IP'",
    'link set dev tvx-5101 mtu 1450',
    'TVD_IP',
  ]);
  // Blanks split a word, quotes and # are ip's own syntax, and a newline would end the line (or the here-document).
  for (const word of ['a b', "a'b", 'a"b', 'a#b', 'a\nTVD_IP', '', '$(id)', 'a\tb']) {
    assert.throws(() => ipBatch(null, [['link', 'set', 'dev', word, 'up']]), /refusing/, JSON.stringify(word));
  }
});
