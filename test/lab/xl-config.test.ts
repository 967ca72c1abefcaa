// Pure parts of the lab: the xl.cfg parser, the vif spec, the kernel ip=, the address plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CfgSyntaxError, parseXlCfg } from '../../lab/xl/cfg-parse.js';
import { XlConfigError, domainConfig, kernelIp, parseVifSpec, vifGuestAddress } from '../../lab/xl/domain-config.js';
import { belongsToLab, checkLabShape, planLab } from '../../lab/address-plan.js';
import { hostsYaml, knownHosts } from '../../lab/host-files.js';

const cfgOf = (text: string) => domainConfig(parseXlCfg(text, 't.cfg'));

test('xl.cfg: strings, numbers, multi-line lists with comments and trailing comma, `;` separators', () => {
  const c = parseXlCfg(
    `# a VM\nname = "w1"; memory = 0x80\nvif = [ 'mac=00:16:3E:00:00:01,bridge=tvd-web', # first\n  "bridge=xenbr1,script=vif-tvd",\n]\nextra="a\\tb"\n`,
    't.cfg',
  );
  assert.deepEqual(c.get('name'), { kind: 'atom', value: 'w1', line: 2 });
  assert.equal((c.get('extra') as { value: string }).value, 'a\tb');
  const v = c.get('vif');
  assert.equal(v?.kind, 'list');
  assert.deepEqual(v?.kind === 'list' && v.items.map((i) => (i.kind === 'atom' ? i.value : '')), [
    'mac=00:16:3E:00:00:01,bridge=tvd-web',
    'bridge=xenbr1,script=vif-tvd',
  ]);
  const d = cfgOf(`name="w1"\nmemory=0x80\nvif=['mac=00:16:3E:00:00:01,bridge=tvd-web','bridge=xenbr1,script=vif-tvd']`);
  assert.equal(d.memory, 128);
  assert.deepEqual(
    d.vifs.map((x) => [x.devid, x.mac, x.bridge, x.script]),
    [
      [0, '00:16:3e:00:00:01', 'tvd-web', 'vif-bridge'],
      [1, undefined, 'xenbr1', 'vif-tvd'],
    ],
  );
});

test('xl.cfg: a later key replaces an earlier one; memory defaults to 32 MiB as in libxl', () => {
  assert.equal(cfgOf('name="a"\nname="b"\n').name, 'b');
  assert.equal(cfgOf('name="a"\n').memory, 32);
});

test('xl.cfg: syntax errors carry the line, as xl prints them', () => {
  assert.throws(
    () => parseXlCfg('name="a"\nmemory = 128 MB\n', 'x.cfg'),
    (e: unknown) => e instanceof CfgSyntaxError && e.line === 2 && /x\.cfg:2: config parsing error/.test(e.message),
  );
  assert.throws(() => parseXlCfg('name = w1\n', 'x.cfg'), CfgSyntaxError); // an unquoted string
  assert.throws(() => parseXlCfg('Name = "w1"\n', 'x.cfg'), CfgSyntaxError); // keys are lower case
  assert.throws(() => parseXlCfg("vif = [ 'a'\n", 'x.cfg'), CfgSyntaxError);
  assert.throws(() => parseXlCfg('name = "unterminated\n', 'x.cfg'), CfgSyntaxError);
});

test('xl.cfg: refuses what xl refuses', () => {
  const bad = [
    ['memory = 128\n', /Domain name must be specified/],
    ['name = "1234"\n', /not allowed/],
    ['name="a"\nmemory="lots"\n', /not a number/],
    ['name="a"\nmemory=256\nmaxmem=128\n', /maxmem/],
    ['name="a"\nvif="bridge=x"\n', /should be a list/],
    ['name="a"\nvif=[\'mac=00:16:3e:00:00\']\n', /Invalid parameter `mac'/],
    ['name="a"\nvif=[\'mac=01:16:3e:00:00:01\']\n', /multicast/],
    ['name="a"\nvif=[\'bridge=x,colour=blue\']\n', /unrecognized argument `colour=blue'/],
    ["name=\"a\"\nvif=['devid=1','devid=1']\n", /two vifs with devid 1/],
    ['name="a"\nvif=[\'vifname=this-name-is-too-long\']\n', /vifname/],
  ] as const;
  for (const [text, why] of bad)
    assert.throws(
      () => cfgOf(text),
      (e: unknown) => e instanceof XlConfigError && why.test(e.message),
      text,
    );
});

test('vif spec: network-attach tokens, defaults bridge xenbr0 and script vif-bridge', () => {
  assert.deepEqual(parseVifSpec(['bridge=br0', 'ip=198.19.40.10', 'vifname=w1-web'], 2), {
    devid: 2,
    bridge: 'br0',
    script: 'vif-bridge',
    ip: '198.19.40.10',
    vifname: 'w1-web',
  });
  assert.deepEqual(parseVifSpec([''], 0), { devid: 0, bridge: 'xenbr0', script: 'vif-bridge' });
});

test('kernel ip=: static address, netmask and gateway; extra is ignored when cmdline is set', () => {
  assert.deepEqual(kernelIp('console=hvc0 ip=198.19.40.10::198.19.40.1:255.255.255.0::eth0:off'), {
    client: '198.19.40.10',
    prefixLength: 24,
    gateway: '198.19.40.1',
    device: 'eth0',
  });
  assert.deepEqual(kernelIp('ip=198.19.40.10:::255.255.0.0'), {
    client: '198.19.40.10',
    prefixLength: 16,
    gateway: undefined,
    device: 'eth0',
  });
  assert.equal(kernelIp('ip=dhcp'), undefined);
  assert.equal(kernelIp('root=/dev/xvda1'), undefined);
  assert.equal(cfgOf('name="a"\ncmdline="ip=198.19.1.2"\nextra="ip=198.19.9.9"\n').cmdline, 'ip=198.19.1.2');
  assert.equal(cfgOf('name="a"\nroot="/dev/xvda1 ro"\nextra="ip=198.19.9.9"\n').cmdline, 'root=/dev/xvda1 ro ip=198.19.9.9');
  assert.deepEqual(vifGuestAddress('198.19.40.10 198.19.40.11'), { address: '198.19.40.10', prefixLength: 24 });
  assert.deepEqual(vifGuestAddress('198.19.40.10/16'), { address: '198.19.40.10', prefixLength: 16 });
});

test('address plan: one /21 per slot in 198.18.0.0/16, hosts dealt round-robin over segments', () => {
  const p = planLab('t1', 3, 5, 2);
  assert.equal(p.block, '198.18.24.0/21');
  assert.deepEqual(p.management, {
    rootLink: 't1-m',
    rootAddress: '198.18.24.1',
    coreLink: 'mgmt',
    coreAddress: '198.18.24.2',
    prefixLength: 24,
  });
  assert.deepEqual(
    p.hosts.map((h) => [h.name, h.netns, h.segment, h.address, h.gateway]),
    [
      ['h1', 't1-h1', 's1', '198.18.25.11', '198.18.25.1'],
      ['h2', 't1-h2', 's2', '198.18.26.11', '198.18.26.1'],
      ['h3', 't1-h3', 's1', '198.18.25.12', '198.18.25.1'],
      ['h4', 't1-h4', 's2', '198.18.26.12', '198.18.26.1'],
      ['h5', 't1-h5', 's1', '198.18.25.13', '198.18.25.1'],
    ],
  );
  assert.equal(planLab('zz', 31, 1, 7).segments[6].subnet, '198.18.255.0/24');
  assert.match(checkLabShape('Bad-Prefix', 1, 1) ?? '', /prefix/);
  assert.match(checkLabShape('averyveryverylongprefix', 1, 1) ?? '', /15 characters/);
  assert.match(checkLabShape('ok', 1, 8) ?? '', /segments/);
  assert.match(checkLabShape('ok', 245, 1) ?? '', /per segment/);
  assert.ok(belongsToLab('t1', 't1-h1') && !belongsToLab('t1', 't10-h1'));
  for (const h of planLab('abcdefghijkl', 0, 3, 1).hosts) assert.ok(`${'abcdefghijkl'}-m`.length <= 15 && h.corePort.length <= 15);
});

test('known_hosts has plain address entries for port 22; hosts.yaml is a topology fragment', () => {
  assert.equal(knownHosts([{ address: '198.18.1.11', publicKey: 'ssh-ed25519 AAAA h1\n' }]), '198.18.1.11 ssh-ed25519 AAAA\n');
  assert.equal(
    hostsYaml([{ name: 'h1', address: '198.18.1.11', segment: 's1' }]),
    'hosts:\n  h1: {address: 198.18.1.11, port: 22, user: root, uplink: eth0, segment: s1}\n',
  );
});
