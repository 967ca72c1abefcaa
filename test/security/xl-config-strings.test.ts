// What reaches a VM's xl.cfg from the topology: disk specs, the kernel, the NICs' MAC and ip,
// the VM's and host's names. xl runs a program a disk spec names (`script=`, or the old prefixes
// iscsi:, nbd:, enbd:, drbd:) as root in Dom0, so that needs the VM's `allowDiskScripts: true`;
// and no value may end its string or line in xl.cfg to add a key of its own (a `bootloader`, say).
// Keys xl would run or read as config (bootloader, extra, ...) are not in the format at all; ramdisk,
// a file xl reads like kernel, is, held by the same path pattern.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { checkSources } from '../../src/topology/load.js';
import { formatDiagnostic } from '../../src/topology/diagnostic.js';
import { vmDomain, xlConfig, xlString } from '../../src/plan/xl-config.js';
import { parseXlCfg, type CfgValue } from '../../lab/xl/cfg-parse.js';
import type { Topology, VmSpec } from '../../src/topology/schema.js';

function topology(vm: Partial<VmSpec>, other: Partial<VmSpec> = {}): Topology {
  return {
    version: 1,
    tvds: { web: { subnet: '198.19.1.0/24' } },
    hosts: { h1: { address: '198.18.0.11', uplink: 'eth0' } },
    vms: {
      v1: { host: 'h1', memory: 128, kernel: '/boot/vmlinuz', nics: [{ tvd: 'web', ip: '198.19.1.10' }], ...vm },
      v2: { host: 'h1', memory: 128, nics: [{ tvd: 'web' }], ...other },
    },
  };
}

/** Each problem as `file:line:col: path: message`. */
function problems(t: Topology): string[] {
  const r = checkSources([{ file: 'topology.yaml', text: yaml.dump(t, { lineWidth: -1 }) }]);
  return r.ok ? [] : r.diagnostics.map(formatDiagnostic);
}

const SCRIPTS = [
  'tvd-1,script=/tmp/evil',
  '/dev/vg0/v1,raw,xvda,rw,script=block-evil',
  'script=/tmp/evil,target=/dev/vg0/v1',
  'Script=/tmp/evil,/dev/vg0/v1,,xvda',
  'nbd:198.18.0.20:10809,xvda,w',
  'enbd:198.18.0.20:10809,xvda,w',
  'iscsi:iqn.2001-05.com.example:v1,xvda,w',
  'drbd:v1,xvda,w',
  'phy:nbd:198.18.0.20:10809,xvda,w',
  'tap:aio:drbd:v1,xvda,w',
  '/dev/vg0/v1,xvda,w,NBD:x',
];

test('a disk spec that names a program is refused at its line and column, naming the program and the opt-in', () => {
  for (const spec of SCRIPTS) {
    const got = problems(topology({ disk: ['phy:/dev/vg0/v1,xvda,w', spec] }));
    assert.equal(got.length, 1, `${spec}: ${got.join('\n')}`);
    assert.match(
      got[0],
      /^topology\.yaml:\d+:\d+: vms\.v1\.disk\[1\]: .*makes xl run .* as root in Dom0 when the disk attaches; tvd refuses disk scripts unless the VM says allowDiskScripts: true$/,
      spec,
    );
  }
});

test('allowDiskScripts: true lets that VM, and only that VM, name disk scripts', () => {
  const disk = ['phy:/dev/vg0/v1,xvda,w,script=block-dmmd', 'nbd:198.18.0.20:10809,xvdb,r'];
  assert.deepEqual(problems(topology({ disk, allowDiskScripts: true })), []);
  assert.equal(problems(topology({ disk, allowDiskScripts: false })).length, 2);
  assert.equal(problems(topology({ disk }, { allowDiskScripts: true })).length, 2, "another VM's opt-in does not count");
  assert.match(problems(topology({ allowDiskScripts: 'yes' as unknown as boolean }))[0], /vms\.v1\.allowDiskScripts: .*true or false/);
});

test('disk specs without a program are accepted, the word nbd or script in a path included', () => {
  for (const spec of [
    'phy:/dev/vg0/v1,xvda,w',
    '/srv/images/nbd-script.img,raw,xvda,rw',
    'format=qcow2,vdev=xvda,access=rw,target=/srv/images/v1.qcow2',
    'file:/srv/iscsi/v1.img,xvda,w',
    '/root/image.iso,,hdc,cdrom',
  ]) {
    assert.deepEqual(problems(topology({ disk: [spec] })), [], spec);
  }
});

/** Values that would end an xl.cfg string or line, or add a parameter to a vif or disk spec. */
const BREAKERS: [string, string][] = [
  ['newline, then a key', 'x\nbootloader = "/tmp/evil"'],
  ['carriage return', 'x\rbootloader="/tmp/evil"'],
  ['line separator', 'x\u2028y'],
  ['single quote', "x',script=/tmp/evil,'"],
  ['double quote', 'x", bootloader = "/tmp/evil'],
  ['close the list', "x' ] ; bootloader = '/tmp/evil"],
  ['comment', 'x#y'],
  ['backslash', 'x\\"y'],
  ['blank', 'x y'],
];

/** The xl.cfg-bound places, each set to a value. */
const PLACES: [string, (v: string) => Topology][] = [
  ['kernel', (v) => topology({ kernel: v })],
  ['ramdisk', (v) => topology({ ramdisk: v })],
  ['disk', (v) => topology({ disk: [`phy:/dev/vg0/v1,xvda,w${v}`] })],
  ['disk, opted in to scripts', (v) => topology({ disk: [`phy:/dev/vg0/v1,xvda,w${v}`], allowDiskScripts: true })],
  ['nic mac (vif mac=)', (v) => topology({ nics: [{ tvd: 'web', mac: `00:16:3e:00:01:10${v}` }] })],
  ['nic mac with a vif parameter', () => topology({ nics: [{ tvd: 'web', mac: '00:16:3e:00:01:10,script=/tmp/evil' }] })],
  ['nic ip (vif ip=, extra=)', (v) => topology({ nics: [{ tvd: 'web', ip: `198.19.1.10${v}` }] })],
  ['nic ip with a vif parameter', () => topology({ nics: [{ tvd: 'web', ip: '198.19.1.10,script=/tmp/evil' }] })],
  ['vm name (name =)', (v) => ({ ...topology({}), vms: { [`v${v}`]: { host: 'h1', memory: 128, nics: [{ tvd: 'web' }] } } })],
  ['host name (the comment line)', (v) => ({ ...topology({}), hosts: { [`h${v}`]: { address: '198.18.0.12', uplink: 'eth0' } } })],
];

test('no xl.cfg-bound value can end its string or line: each is refused at its line and column', () => {
  const accepted: string[] = [];
  for (const [place, make] of PLACES) {
    for (const [what, value] of BREAKERS) {
      const got = problems(make(value));
      if (got.length === 0) accepted.push(`${place}: ${what}`);
      else for (const p of got) assert.match(p, /^topology\.yaml:\d+:\d+: \S/, `${place}: ${what}`);
    }
  }
  assert.deepEqual(accepted, []);
});

test('keys xl would run or read as config are not in the format: bootloader, extra and the like are refused', () => {
  for (const key of [
    'bootloader',
    'bootloader_args',
    'extra',
    'cmdline',
    'root',
    'device_model_override',
    'on_crash',
    'vif',
    'script',
    'builder',
  ]) {
    const t = topology({});
    (t.vms!.v1 as Record<string, unknown>)[key] = '/tmp/evil';
    const got = problems(t);
    assert.equal(got.length, 1, `${key}: ${got.join('\n')}`);
    assert.match(got[0], new RegExp(`^topology\\.yaml:\\d+:\\d+: vms\\.v1\\.${key}: `), key);
  }
});

test('the xl.cfg of a valid VM, every field at its widest, is one key per line and one entry per disk and NIC', () => {
  const disk = ['phy:/dev/vg0/v1,xvda,w', 'format=qcow2,vdev=xvdb,access=ro,target=/srv/a+b=c/v1.qcow2', 'nbd:198.18.0.20:10809,xvdc,r'];
  const t = topology({
    type: 'pv',
    kernel: '/boot/vmlinuz-6.1.0+tvd_x-1',
    ramdisk: '/boot/initrd.img-6.1.0+tvd_x-1',
    disk,
    allowDiskScripts: true,
  });
  assert.deepEqual(problems(t), []);
  const nics = [{ tvd: 'web', bridge: 'tvd-5101', mac: '00:16:3e:00:01:10', ip: '198.19.1.10', vifname: 'tvv1a2b3c4.0', mtu: 1450 }];
  const domain = vmDomain(t.vms!.v1, { ip: '198.19.1.10', prefix: 24, gateway: '198.19.1.1' });
  const text = xlConfig('v1', 'h1', { domain, nics });
  const lines = text.trimEnd().split('\n');
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(' = ')[0]),
    ['name', 'type', 'memory', 'vcpus', 'kernel', 'ramdisk', 'extra', 'disk', 'vif'],
  );
  assert.match(lines[0], /^# /);
  const diskLine = lines.find((l) => l.startsWith('disk = '))!;
  assert.equal(diskLine, `disk = [ ${disk.map((d) => `'${d}'`).join(', ')} ]`);
  assert.equal(lines.find((l) => l.startsWith('vif = '))!.match(/'/g)!.length, 2, 'one vif entry');
});

test('every xl.cfg string is quoted as xl reads it: read back by the lab xl parser, each value is the one written', () => {
  // Values the schema refuses, as a bug upstream could pass them: the quoting alone must hold.
  const disk = ["it's,xvda,w", 'back\\slash,xvdb,r', 'two\nlines,xvdc,r', 'a "b",xvdd,r'];
  const vm: VmSpec = { host: 'h1', memory: 128, kernel: '/boot/k"\'\\', nics: [], disk };
  const text = xlConfig('v1', 'h1', { domain: vmDomain(vm), nics: [] });
  const cfg = parseXlCfg(text, 'v1.cfg');
  assert.deepEqual([...cfg.keys()], ['name', 'type', 'memory', 'vcpus', 'kernel', 'disk', 'vif']);
  const atom = (v: CfgValue | undefined) => (v?.kind === 'atom' ? v.value : undefined);
  assert.equal(atom(cfg.get('kernel')), '/boot/k"\'\\');
  const listed = cfg.get('disk');
  assert.ok(listed?.kind === 'list');
  assert.deepEqual(listed.items.map(atom), disk);
  assert.equal(text.split('\n').length, 9, 'one line per key, and no value breaks a line');
  assert.throws(() => xlString('nul\0'), /NUL/);
});
