// Data plane: RTT (ping, 1,000 packets), TCP throughput and CPU per small UDP packet (iperf3)
// between two VMs of a lab, three ways through tvd's network (same host and TVD; two hosts over
// the TVD's VXLAN; across a controlled connection's firewalls), each beside a plain path between
// the same VM namespaces with no TVD: a bare bridge (for the first two) or a bare routed link (for
// the third); the second also beside bridged Xen over the same segment (the paper's baseline); and
// a confidential TVD's path between two hosts (VXLAN inside WireGuard, wireguard-go here) beside the
// same two VMs over an unencrypted TVD and beside WireGuard + VXLAN built by hand between them.
// Usage (root): node dist/bench/data-plane.js [--runs N] [--seconds S]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { hostExec, vmExec, withLab, type LabInfo } from '../lab/api.js';
import { findVmHost } from '../lab/exec.js';
import { run as runProcess, mustRun } from '../lab/process.js';
import type { Topology } from '../src/topology/schema.js';
import { tvdRun } from './fleet-pushers.js';
import { mean, median, ratio, spread } from './stats.js';
import { argNumber, isMain, printSection, table, type Section, type Target } from './section.js';
import { loadAverage } from './machine.js';

const PREFIX = 'bdp';
const PORT = 5201;
/** Microseconds to one decimal; `us` takes milliseconds (ping's unit). */
const micro = (x: number) => `${x.toFixed(1)} µs`;
const us = (ms: number) => micro(ms * 1000);

function topology(lab: LabInfo): Topology {
  const [h1, h2] = lab.hosts;
  return {
    version: 1,
    defaults: { flow: 'closed' },
    tvds: {
      a: { subnet: '198.19.30.0/24', firewall: h1.name },
      b: { subnet: '198.19.31.0/24', firewall: h1.name },
      s: { subnet: '198.19.32.0/24', confidentiality: 'required' },
    },
    flows: [
      {
        from: 'a',
        to: 'b',
        connection: 'controlled',
        allow: [{ proto: 'tcp', port: PORT }, { proto: 'udp', port: PORT }, { proto: 'icmp' }],
      },
    ],
    hosts: Object.fromEntries(
      lab.hosts.map((h) => [h.name, { address: h.address, port: h.port, user: h.user, uplink: 'eth0', segment: h.segment }]),
    ),
    vms: {
      a1: { host: h1.name, memory: 128, start: true, nics: [{ tvd: 'a', ip: '198.19.30.10' }] },
      a2: { host: h1.name, memory: 128, start: true, nics: [{ tvd: 'a', ip: '198.19.30.11' }] },
      a3: { host: h2.name, memory: 128, start: true, nics: [{ tvd: 'a', ip: '198.19.30.12' }] },
      b1: { host: h1.name, memory: 128, start: true, nics: [{ tvd: 'b', ip: '198.19.31.10' }] },
      // Also in TVD a: the same two VMs over an unencrypted TVD.
      s1: {
        host: h1.name,
        memory: 128,
        start: true,
        nics: [
          { tvd: 's', ip: '198.19.32.10' },
          { tvd: 'a', ip: '198.19.30.20' },
        ],
      },
      s3: {
        host: h2.name,
        memory: 128,
        start: true,
        nics: [
          { tvd: 's', ip: '198.19.32.12' },
          { tvd: 'a', ip: '198.19.30.22' },
        ],
      },
    },
  };
}

interface PathSpec {
  label: string;
  from: string;
  to: string;
  tvdAddr: string;
  /** targets: false where the plain way does other work (no encryption), so no target compares with it. */
  plains: { kind: string; short: string; addr: string; targets?: false }[];
}

const BARE_BRIDGE = { kind: 'bare bridge', short: 'a bare bridge' };
const PATHS: PathSpec[] = [
  { label: '(a) same host, same TVD', from: 'a1', to: 'a2', tvdAddr: '198.19.30.11', plains: [{ ...BARE_BRIDGE, addr: '198.19.100.11' }] },
  {
    label: "(b) two hosts, the TVD's VXLAN",
    from: 'a1',
    to: 'a3',
    tvdAddr: '198.19.30.12',
    plains: [
      { ...BARE_BRIDGE, addr: '198.19.100.12' },
      {
        kind: "bridged Xen: a bridge on each host, joined over the lab segment (the paper's baseline)",
        short: 'bridged Xen',
        addr: '198.19.103.12',
      },
    ],
  },
  {
    label: "(c) across a controlled connection's firewalls",
    from: 'a1',
    to: 'b1',
    tvdAddr: '198.19.31.10',
    plains: [{ kind: 'bare routed link (one router namespace)', short: 'a bare routed link', addr: '198.19.102.2' }],
  },
  {
    label: '(d) two hosts, a confidential TVD (VXLAN inside WireGuard, wireguard-go)',
    from: 's1',
    to: 's3',
    tvdAddr: '198.19.32.12',
    plains: [
      {
        kind: "the same two VMs over an unencrypted TVD (TVD a's VXLAN on the uplink)",
        short: 'unencrypted',
        addr: '198.19.30.22',
        targets: false,
      },
      { kind: 'WireGuard (wireguard-go) + VXLAN built by hand between the same hosts and VMs', short: 'by hand', addr: '198.19.104.12' },
    ],
  },
];

/** A process parked in a VM's network namespace, so links can be moved there by pid. */
async function parkIn(vm: string): Promise<number> {
  let why = '';
  // The lab finds a VM's host from the xl state files, which may be mid-write just after apply.
  for (let i = 0; i < 10; i++) {
    try {
      const r = await vmExec(PREFIX, vm, ['sh', '-c', 'sleep 3600 </dev/null >/dev/null 2>&1 & echo $!']);
      if (r.code === 0) return Number(r.stdout.trim());
      why = r.stderr;
    } catch (e) {
      why = (e as Error).message;
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error(`cannot park a process in ${vm}: ${why}`);
}

const inNs = (pid: number, argv: string[]) => mustRun(['nsenter', '-t', String(pid), '-n', '--', ...argv]);

/**
 * WireGuard and VXLAN by hand, as a user would set them up without tvd, between the hosts of s1
 * and s3: on each a wireguard-go interface `wgb0` (port 51821, inner 198.19.105.0/24, MTU uplink -
 * 60), a VXLAN `vxb0` over it (VNI 4242, MTU - 50 again) on a bridge `brb0`, and a veth from the VM
 * onto it (198.19.104.0/24). Runs in each host's own mount namespace (its /var/run/wireguard).
 * Returns what removes them again, by name.
 */
async function buildHandWireguard(lab: LabInfo, pids: Record<string, number>, vms: [string, string][]): Promise<() => Promise<void>> {
  const hosts = vms.map(([vm, name], i) => ({ vm, name, h: lab.hosts.find((x) => x.name === name)!, n: i + 10 }));
  const sh = async (host: string, script: string) => {
    const r = await hostExec(PREFIX, host, ['sh', '-ec', script]);
    if (r.code !== 0) throw new Error(`by-hand WireGuard on ${host}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const undo = async () => {
    for (const x of hosts)
      await hostExec(PREFIX, x.name, [
        'sh',
        '-c',
        'ip link del vxb0; ip link del brb0; ip link del wgb0; ip link del vb0; rm -f /tmp/wgb.key; true',
      ]);
  };
  try {
    const pubs: string[] = [];
    for (const x of hosts) {
      pubs.push(
        await sh(
          x.name,
          [
            'wireguard-go wgb0 </dev/null >/dev/null 2>&1',
            '(umask 077 && wg genkey >/tmp/wgb.key)',
            'wg set wgb0 listen-port 51821 private-key /tmp/wgb.key',
            `ip addr add 198.19.105.${x.n}/24 dev wgb0`,
            'ip link set wgb0 addrgenmode none mtu $(( $(cat /sys/class/net/eth0/mtu) - 60 )) up',
            `ip link add vxb0 type vxlan id 4242 local 198.19.105.${x.n} dstport 4789 dev wgb0`,
            'ip link add brb0 type bridge && ip link set brb0 up',
            'ip link set vxb0 addrgenmode none mtu $(( $(cat /sys/class/net/eth0/mtu) - 110 )) master brb0 up',
            `ip link add vb0 type veth peer name plainw netns ${pids[x.vm]}`,
            'ip link set vb0 mtu $(( $(cat /sys/class/net/eth0/mtu) - 110 )) master brb0 up',
            'wg pubkey </tmp/wgb.key',
          ].join('\n'),
        ),
      );
      await inNs(pids[x.vm], [
        'sh',
        '-ec',
        `ip addr add 198.19.104.${x.n === 10 ? 10 : 12}/24 dev plainw; ip link set plainw mtu $(( 1500 - 110 )) up`,
      ]);
    }
    for (const [i, x] of hosts.entries()) {
      const o = hosts[1 - i];
      await sh(
        x.name,
        `wg set wgb0 peer ${pubs[1 - i]} endpoint ${o.h.address}:51821 allowed-ips 198.19.105.${o.n}/32\nbridge fdb append 00:00:00:00:00:00 dev vxb0 dst 198.19.105.${o.n}`,
      );
    }
  } catch (e) {
    await undo();
    throw e;
  }
  return undo;
}

/**
 * Bridged Xen, as the paper measured against: on each host a bridge `xbr0` with a second "NIC"
 * (a veth into the lab segment's bridge in the core namespace), and a veth from the VM onto it
 * (198.19.103.0/24). The path crosses what tvd's crosses (host bridge, uplink, segment, host
 * bridge) but for the VXLAN encapsulation. Returns what removes them again, by name.
 */
async function buildBridgedXen(lab: LabInfo, pids: Record<string, number>, vms: [string, string][]): Promise<() => Promise<void>> {
  const made: string[][] = [];
  const core = `${lab.prefix}-core`;
  for (const [vm, hostName] of vms) {
    const h = lab.hosts.find((x) => x.name === hostName)!;
    const seg = h.segment;
    const corePort = `${lab.prefix}x${hostName}`;
    await mustRun(['ip', '-n', h.netns, 'link', 'add', 'xbr0', 'type', 'bridge']);
    made.push(['ip', '-n', h.netns, 'link', 'del', 'xbr0']);
    await mustRun(['ip', '-n', h.netns, 'link', 'set', 'xbr0', 'up']);
    await mustRun(['ip', '-n', h.netns, 'link', 'add', 'xnic0', 'type', 'veth', 'peer', 'name', corePort, 'netns', core]);
    made.push(['ip', '-n', h.netns, 'link', 'del', 'xnic0']);
    await mustRun(['ip', '-n', h.netns, 'link', 'set', 'xnic0', 'master', 'xbr0', 'up']);
    await mustRun(['ip', '-n', core, 'link', 'set', corePort, 'master', seg, 'up']);
    await mustRun(['ip', '-n', h.netns, 'link', 'add', `xv-${vm}`, 'type', 'veth', 'peer', 'name', 'plainx', 'netns', String(pids[vm])]);
    made.push(['ip', '-n', h.netns, 'link', 'del', `xv-${vm}`]);
    await mustRun(['ip', '-n', h.netns, 'link', 'set', `xv-${vm}`, 'master', 'xbr0', 'up']);
    await inNs(pids[vm], ['ip', 'addr', 'add', `198.19.103.${vm === 'a1' ? 10 : 12}/24`, 'dev', 'plainx']);
    await inNs(pids[vm], ['ip', 'link', 'set', 'plainx', 'up']);
  }
  return async () => {
    for (const argv of made.reverse()) await runProcess(argv);
  };
}

/**
 * The plain paths, built beside tvd's in the same VM namespaces: a bare bridge in its own
 * namespace with a veth into a1, a2 and a3 (198.19.100.0/24), and a router namespace between
 * a1 (198.19.101.0/24) and b1 (198.19.102.0/24). Nothing of tvd's is touched.
 */
async function buildPlain(pids: Record<string, number>, ns: { bridge: string; router: string }) {
  await mustRun(['ip', 'netns', 'add', ns.bridge]);
  await mustRun(['ip', '-n', ns.bridge, 'link', 'add', 'br0', 'type', 'bridge']);
  await mustRun(['ip', '-n', ns.bridge, 'link', 'set', 'br0', 'up']);
  const last: Record<string, number> = { a1: 10, a2: 11, a3: 12 };
  for (const vm of ['a1', 'a2', 'a3']) {
    await mustRun(['ip', '-n', ns.bridge, 'link', 'add', `p-${vm}`, 'type', 'veth', 'peer', 'name', 'plain0', 'netns', String(pids[vm])]);
    await mustRun(['ip', '-n', ns.bridge, 'link', 'set', `p-${vm}`, 'master', 'br0', 'up']);
    await inNs(pids[vm], ['ip', 'addr', 'add', `198.19.100.${last[vm]}/24`, 'dev', 'plain0']);
    await inNs(pids[vm], ['ip', 'link', 'set', 'plain0', 'up']);
  }
  await mustRun(['ip', 'netns', 'add', ns.router]);
  await mustRun(['ip', 'netns', 'exec', ns.router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  for (const [vm, net] of [
    ['a1', 101],
    ['b1', 102],
  ] as const) {
    await mustRun(['ip', '-n', ns.router, 'link', 'add', `r-${vm}`, 'type', 'veth', 'peer', 'name', 'plainr', 'netns', String(pids[vm])]);
    await mustRun(['ip', '-n', ns.router, 'addr', 'add', `198.19.${net}.1/24`, 'dev', `r-${vm}`]);
    await mustRun(['ip', '-n', ns.router, 'link', 'set', `r-${vm}`, 'up']);
    await inNs(pids[vm], ['ip', 'addr', 'add', `198.19.${net}.2/24`, 'dev', 'plainr']);
    await inNs(pids[vm], ['ip', 'link', 'set', 'plainr', 'up']);
    await inNs(pids[vm], ['ip', 'route', 'add', `198.19.${net === 101 ? 102 : 101}.0/24`, 'via', `198.19.${net}.1`]);
  }
}

/** Recreates each VXLAN device on the uplink with its id, address, MTU, bridge and flood peers, and `csum`. */
const recreateVxlan = (csum: 'udpcsum' | 'noudpcsum') =>
  [
    'for d in /sys/class/net/tvx-*; do',
    '  n=${d##*/}; info=$(ip -d -o link show dev "$n")',
    // The confidential TVD's VXLAN (path (d)) runs inside WireGuard: these states are path (b)'s.
    '  case $info in *" dev tvdwg0 "*) continue ;; esac',
    '  id=$(echo "$info" | sed -n "s/.* vxlan id \\([0-9]*\\) .*/\\1/p"); lo=$(echo "$info" | sed -n "s/.* local \\([0-9.]*\\) .*/\\1/p")',
    '  mtu=$(cat "$d/mtu"); br=$(basename "$(readlink "$d/master")")',
    '  peers=$(bridge fdb show dev "$n" | awk \'$1 == "00:00:00:00:00:00" && $2 == "dst" { print $3 }\')',
    `  ip link del "$n" && ip link add name "$n" type vxlan id "$id" local "$lo" dstport 4789 dev eth0 ${csum} &&`,
    '  ip link set dev "$n" addrgenmode none mtu "$mtu" master "$br" && bridge link set dev "$n" isolated on && ip link set "$n" up || exit 1',
    '  for p in $peers; do bridge fdb append 00:00:00:00:00:00 dev "$n" dst "$p" || exit 1; done',
    'done',
  ].join('\n');

/**
 * Path (b) in three states, each a sh snippet that sets it on both hosts from any other, measured
 * in turn within each run (so that the machine's changing load falls on all three alike).
 */
const VXLAN_STATES: { label: string; sh: string }[] = [
  {
    label: "as tvd sets it (GRO off on the lab's veth uplinks, outer UDP checksums on)",
    sh: `ethtool -K eth0 gro off && ${recreateVxlan('udpcsum')}`,
  },
  { label: 'GRO on the uplinks (`ethtool -K eth0 gro on`)', sh: `ethtool -K eth0 gro on && ${recreateVxlan('udpcsum')}` },
  { label: 'GRO on, and VXLAN without outer UDP checksums (`noudpcsum`)', sh: `ethtool -K eth0 gro on && ${recreateVxlan('noudpcsum')}` },
];

/**
 * `count` round-trip times (ms) from one VM. ping prints each reply's time to the microsecond, and
 * its summary's average rounded to one too: on paths of a few microseconds that rounding alone
 * moves a ratio by 15-30%, so an RTT here is the mean of the per-packet times, which is finer, as
 * their rounding falls either way. The first reply of each ping is dropped: the first packet of a
 * freshly started ping comes back often ten times slower than the rest (20-120 µs here, on every path),
 * which in a block of 100 would add several percent to the mean.
 */
async function pingTimes(pid: number, addr: string, count: number): Promise<number[]> {
  const out = await inNs(pid, ['ping', '-n', '-c', String(count + 1), '-i', '0.001', '-W', '1', addr]);
  const times = [...out.matchAll(/ time=([\d.]+) ms/g)].map((t) => Number(t[1])).slice(1);
  if (times.length === 0) throw new Error(`ping ${addr}: ${out.slice(-500)}`);
  return times;
}

const RTT_BLOCKS = 10;

/**
 * The RTT (ms) of each of `addrs` from one VM, taken in turn: RTT_BLOCKS blocks of pings for each,
 * the order of the ways alternating from block to block (and `flip` turning the first). A round
 * trip here is a few microseconds, and the machine's load moves it by tens of percent from one
 * second to the next: taken in turn within the same seconds, every way sees the same load.
 */
async function rttInTurn(pid: number, addrs: string[], pings: number, flip: boolean): Promise<number[]> {
  const times = addrs.map(() => [] as number[]);
  for (let b = 0; b < RTT_BLOCKS; b++) {
    const order = addrs.map((_, i) => i);
    if ((b % 2 === 1) !== flip) order.reverse();
    for (const i of order) times[i].push(...(await pingTimes(pid, addrs[i], Math.ceil(pings / RTT_BLOCKS))));
  }
  return times.map(mean);
}

/** One iperf3 client run (`args`, with -J) against a one-shot server: its JSON. */
async function iperfRun(fromPid: number, toPid: number, addr: string, args: string[], work: string): Promise<string> {
  const pidfile = join(work, `iperf-${process.hrtime.bigint()}.pid`);
  await inNs(toPid, ['iperf3', '-s', '-1', '-D', '-B', addr, '-p', String(PORT), '--pidfile', pidfile]);
  try {
    // Wait until the server listens (-D returns before it does, and this machine is loaded).
    for (let i = 0; i < 100; i++) {
      const l = await runProcess(['nsenter', '-t', String(toPid), '-n', '--', 'ss', '-Hltn', `sport = :${PORT}`]);
      if (l.stdout.trim()) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    let out = '';
    for (let i = 0; i < 20; i++) {
      const r = await runProcess(['nsenter', '-t', String(fromPid), '-n', '--', 'iperf3', '-c', addr, '-p', String(PORT), ...args, '-J']);
      out = r.stdout;
      if (r.code === 0) break;
      if (!/connect|refused/i.test(out + r.stderr)) throw new Error(`iperf3 to ${addr}: ${out.slice(0, 500)} ${r.stderr}`);
      await new Promise((res) => setTimeout(res, 500)); // refused: try again, the server stays for one client
    }
    if (!out.includes('"sum_received"') && !out.includes('"lost_packets"')) {
      const there = await runProcess(['nsenter', '-t', String(toPid), '-n', '--', 'sh', '-c', 'ss -ltnp; ip -o -4 addr']);
      throw new Error(`iperf3 to ${addr} failed: ${out.slice(-300)}\nat the server: ${there.stdout}`);
    }
    return out;
  } finally {
    // -1 ends the server after one client; if it is still there (a failure), end it by its pid.
    await runProcess(['sh', '-c', `[ -s ${pidfile} ] && kill $(cat ${pidfile}) 2>/dev/null; rm -f ${pidfile}`]);
  }
}

async function iperf(
  fromPid: number,
  toPid: number,
  addr: string,
  seconds: number,
  work: string,
): Promise<{ bps: number; senderCpu: number; receiverCpu: number; retransmits: number }> {
  const json = await iperfRun(fromPid, toPid, addr, ['-t', String(seconds)], work);
  const j = JSON.parse(json) as {
    end: {
      sum_received: { bits_per_second: number };
      sum_sent: { retransmits?: number };
      cpu_utilization_percent: { host_total: number; remote_total: number };
    };
  };
  return {
    bps: j.end.sum_received.bits_per_second,
    senderCpu: j.end.cpu_utilization_percent.host_total,
    receiverCpu: j.end.cpu_utilization_percent.remote_total,
    retransmits: j.end.sum_sent.retransmits ?? 0,
  };
}

/** Small UDP datagrams at a fixed rate the path can carry: CPU per packet delivered. */
const SMALL_UDP = { bytes: 64, bitsPerSecond: 20e6 };

async function smallUdp(
  fromPid: number,
  toPid: number,
  addr: string,
  seconds: number,
  work: string,
): Promise<{ usPerPacket: number; lossPct: number }> {
  const json = await iperfRun(
    fromPid,
    toPid,
    addr,
    ['-u', '-l', String(SMALL_UDP.bytes), '-b', String(SMALL_UDP.bitsPerSecond), '-t', String(seconds)],
    work,
  );
  const j = JSON.parse(json) as {
    end: {
      sum: { seconds: number; packets: number; lost_packets: number };
      cpu_utilization_percent: { host_total: number; remote_total: number };
    };
  };
  const cpuS = ((j.end.cpu_utilization_percent.host_total + j.end.cpu_utilization_percent.remote_total) / 100) * j.end.sum.seconds;
  const delivered = j.end.sum.packets - j.end.sum.lost_packets;
  return { usPerPacket: (cpuS * 1e6) / delivered, lossPct: (100 * j.end.sum.lost_packets) / j.end.sum.packets };
}

/** What one way of one path measured, an entry per run. */
type Samples = { rtt: number[]; bps: number[]; cpuS: number[]; cpuR: number[]; udpUs: number[]; udpLoss: number[] };
const noSamples = (): Samples => ({ rtt: [], bps: [], cpuS: [], cpuR: [], udpUs: [], udpLoss: [] });

export async function run(opts: { runs?: number; seconds?: number; pings?: number } = {}): Promise<Section> {
  const runs = opts.runs ?? 5;
  const seconds = opts.seconds ?? 3;
  const pings = opts.pings ?? 1000;
  const work = mkdtempSync(join(tmpdir(), 'tvd-bench-dp-'));
  const parked: number[] = [];
  const ns = { bridge: `bdpbr${process.pid % 10000}`, router: `bdprt${process.pid % 10000}` };
  const results = new Map<string, Samples>();
  const facts: string[] = [];
  const variants: { label: string; rtt: number[]; bps: number[]; cpuS: number[]; cpuR: number[] }[] = [];
  const loadBefore = loadAverage();
  try {
    await withLab({ hosts: 2, segments: 1, prefix: PREFIX }, async (lab) => {
      const t = topology(lab);
      const file = join(work, 'topology.yaml');
      writeFileSync(file, yaml.dump(t));
      const applied = await tvdRun([
        'apply',
        file,
        '--auto-approve',
        '--state',
        join(work, 'state.json'),
        '--known-hosts',
        lab.knownHosts,
        '--identity',
        lab.identity,
        '--quiet',
      ]);
      if (applied.code !== 0) throw new Error(`tvd apply: ${applied.stderr.slice(-2000)}`);
      const pids: Record<string, number> = {};
      for (const vm of ['a1', 'a2', 'a3', 'b1', 's1', 's3']) {
        pids[vm] = await parkIn(vm);
        parked.push(pids[vm]);
      }
      await buildPlain(pids, ns);
      const removeBridgedXen = await buildBridgedXen(lab, pids, [
        ['a1', findVmHost(lab, 'a1')!.name],
        ['a3', findVmHost(lab, 'a3')!.name],
      ]);
      let removeHandWireguard = async () => {};
      try {
        removeHandWireguard = await buildHandWireguard(lab, pids, [
          ['s1', findVmHost(lab, 's1')!.name],
          ['s3', findVmHost(lab, 's3')!.name],
        ]);
        // What tvd set on the paths: MTUs, the VXLAN device, offloads.
        const h1 = findVmHost(lab, 'a1')!.name;
        const mtuOf = async (pid: number, dev: string) =>
          /mtu (\d+)/.exec(await inNs(pid, ['ip', '-o', 'link', 'show', 'dev', dev]))?.[1] ?? '?';
        const tvdNic = (await inNs(pids.a1, ['sh', '-c', "ip -o -4 addr show | awk '$4 ~ /^198\\.19\\.30\\./ {print $2}'"]))
          .trim()
          .split('@')[0];
        facts.push(
          `VM NIC on the TVD (a1 \`${tvdNic}\`): MTU ${await mtuOf(pids.a1, tvdNic)}; on the bare bridge (\`plain0\`): MTU ${await mtuOf(pids.a1, 'plain0')}.`,
        );
        const vx = await hostExec(PREFIX, h1, [
          'sh',
          '-c',
          "for d in /sys/class/net/tvx-*; do n=${d##*/}; echo \"$n mtu $(cat $d/mtu)\"; ip -d link show dev $n | grep -o 'vxlan id [0-9]* .*' | head -1; ethtool -k $n 2>/dev/null | grep -E '^(tx-checksumming|generic-segmentation-offload|generic-receive-offload|tx-udp_tnl-segmentation):'; done; echo uplink mtu $(cat /sys/class/net/eth0/mtu); ethtool -k eth0 2>/dev/null | grep -E '^(tx-checksumming|generic-segmentation-offload|generic-receive-offload|tx-udp_tnl-segmentation):'",
        ]);
        facts.push('On ' + h1 + ' (the VXLAN device and the uplink, as tvd set them):\n\n```\n' + vx.stdout.trim() + '\n```');

        for (let r = 0; r < runs; r++) {
          for (const p of PATHS) {
            const ways = ['tvd', ...p.plains.map((_, i) => `plain${i}`)];
            const addrOf = (way: string) => (way === 'tvd' ? p.tvdAddr : p.plains[Number(way.slice(5))].addr);
            const rtts = await rttInTurn(pids[p.from], ways.map(addrOf), pings, r % 2 === 1);
            // Alternate which goes first, so drift in the machine's load does not favour one side.
            const order = r % 2 ? [...ways].reverse() : ways;
            for (const way of order) {
              const key = `${p.label}/${way}`;
              const e = results.get(key) ?? noSamples();
              const ip = await iperf(pids[p.from], pids[p.to], addrOf(way), seconds, work);
              const udp = await smallUdp(pids[p.from], pids[p.to], addrOf(way), seconds, work);
              e.rtt.push(rtts[ways.indexOf(way)]);
              e.udpUs.push(udp.usPerPacket);
              e.udpLoss.push(udp.lossPct);
              e.bps.push(ip.bps);
              e.cpuS.push(ip.senderCpu);
              e.cpuR.push(ip.receiverCpu);
              results.set(key, e);
            }
          }
        }
        // Path (b) again with settings tvd does not make, to see whether any would help.
        const b = PATHS[1];
        const byState = VXLAN_STATES.map((v) => ({
          label: v.label,
          rtt: [] as number[],
          bps: [] as number[],
          cpuS: [] as number[],
          cpuR: [] as number[],
        }));
        for (let r = 0; r < runs; r++) {
          const order = VXLAN_STATES.map((_, i) => (i + r) % VXLAN_STATES.length);
          for (const i of order) {
            for (const h of lab.hosts) {
              const set = await hostExec(PREFIX, h.name, ['sh', '-c', VXLAN_STATES[i].sh]);
              if (set.code !== 0) throw new Error(`${VXLAN_STATES[i].label} on ${h.name}: ${set.stderr}`);
            }
            const e = byState[i];
            e.rtt.push(mean(await pingTimes(pids[b.from], b.tvdAddr, pings)));
            const ip = await iperf(pids[b.from], pids[b.to], b.tvdAddr, seconds, work);
            e.bps.push(ip.bps);
            e.cpuS.push(ip.senderCpu);
            e.cpuR.push(ip.receiverCpu);
          }
        }
        variants.push(...byState);
      } finally {
        await removeHandWireguard();
        await removeBridgedXen();
      }
    });
  } finally {
    for (const pid of parked) {
      try {
        process.kill(pid);
      } catch {
        /* gone with its namespace */
      }
    }
    await runProcess(['ip', 'netns', 'del', ns.bridge]);
    await runProcess(['ip', 'netns', 'del', ns.router]);
    rmSync(work, { recursive: true, force: true });
  }
  const rows: (string | number)[][] = [];
  const targets: Target[] = [];
  const gbit = (x: number) => `${(x / 1e9).toFixed(2)} Gbit/s`;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  type Figures = { rtt: number[]; bps: number[]; cpuS: number[]; cpuR: number[] };
  const row = (label: string, way: string, f: Figures) => [
    label,
    way,
    `${us(median(f.rtt))} (runs ${spread(f.rtt, us)})`,
    `${gbit(median(f.bps))} (runs ${spread(f.bps, gbit)})`,
    `${median(f.cpuS).toFixed(0)}% / ${median(f.cpuR).toFixed(0)}%`,
    `${((((median(f.cpuS) + median(f.cpuR)) / 100) * 8e9) / median(f.bps)).toFixed(2)} s`,
  ];
  /** A signed figure to one decimal: +4.4, −2.7, and 0.0 (no sign) for what rounds to zero. */
  const signed = (x: number, unit: string) => {
    const t = Math.abs(x).toFixed(1);
    return `${Number(t) === 0 ? '' : x > 0 ? '+' : '−'}${t}${unit}`;
  };
  const change = (x: number) => signed((x - 1) * 100, '%');
  const udpCell = (f: { udpUs: number[]; udpLoss: number[] }) =>
    `${micro(median(f.udpUs))} (runs ${spread(f.udpUs, micro)})${median(f.udpLoss) >= 0.1 ? `, ${median(f.udpLoss).toFixed(1)}% lost` : ''}`;
  for (const p of PATHS) {
    const tv = results.get(`${p.label}/tvd`)!;
    rows.push([...row(p.label, 'tvd', tv), udpCell(tv)]);
    p.plains.forEach((plain, i) => {
      const pl = results.get(`${p.label}/plain${i}`)!;
      // Each run's tvd figure over its plain one, taken within seconds of each other; their median.
      const rttXs = tv.rtt.map((x, run) => x / pl.rtt[run]);
      const bpsXs = tv.bps.map((x, run) => x / pl.bps[run]);
      const rttX = median(rttXs);
      const bpsX = median(bpsXs);
      const vs = p.plains.length > 1 ? ` (beside ${plain.short})` : '';
      rows.push([...row('', plain.kind, pl), udpCell(pl)]);
      const udpD = median(tv.udpUs) - median(pl.udpUs);
      rows.push([
        '',
        `**tvd / ${plain.short}**`,
        `**${ratio(rttX)}** (${change(rttX)}, ${signed(median(tv.rtt.map((x, run) => x - pl.rtt[run])) * 1000, ' µs')}; runs ${spread(rttXs, ratio)})`,
        `**${pct(bpsX)}** (runs ${spread(bpsXs, pct)})`,
        '',
        '',
        `**${signed(udpD, ' µs')}** (${ratio(median(tv.udpUs) / median(pl.udpUs))})`,
      ]);
      if (plain.targets === false) return;
      targets.push({ what: `${p.label}: RTT${vs}`, target: '≤ +15%', measured: change(rttX), met: rttX <= 1.15 });
      targets.push({ what: `${p.label}: TCP throughput${vs}`, target: '≥ 90% of plain', measured: pct(bpsX), met: bpsX >= 0.9 });
    });
  }
  const variantRows = variants.map((v) => [v.label, ...row('', '', v).slice(2), pct(median(v.bps) / median(variants[0].bps))]);
  const body = [
    'A 2-host lab. VMs a1, a2 (host 1) and a3 (host 2) are in TVD a; b1 (host 1) is in TVD b; a → b is controlled (tcp/5201, udp/5201, icmp),',
    'both firewalls pinned to host 1 (so path (c) is a1 → bridge a → firewall a → veth transit → firewall b → bridge b → b1, with',
    'stateful nftables rules in both firewalls). The plain paths use extra links in the *same* VM namespaces: a bare Linux bridge',
    '(in a namespace of its own) joined by a veth from a1, a2 and a3; and one router namespace with IP forwarding between a1 and b1.',
    'Path (b) is also measured beside bridged Xen, the paper\'s baseline: on each of the two hosts a bridge with a second "NIC" (a veth',
    "into the lab segment's bridge) and a veth from a1 or a3 on it, so that path crosses what tvd's crosses (host bridge, the hosts'",
    'links into the segment, the segment, host bridge) but for the VXLAN encapsulation.',
    'Path (d): VMs s1 (host 1) and s3 (host 2) are in the confidential TVD s (`confidentiality: required`: its VXLAN runs inside',
    "WireGuard between the hosts' Dom0s; this kernel has no WireGuard module, so tvd runs wireguard-go) and also in TVD a. So the",
    "same two VM namespaces are measured over s, over a's unencrypted VXLAN, and over WireGuard (wireguard-go) + VXLAN built by",
    'hand between the same hosts (an interface, a VXLAN over it and a bridge per host, as a user would set them up without tvd).',
    "Its targets compare tvd's path with the one by hand (the cost of tvd's way of setting WireGuard up); beside the unencrypted",
    "TVD it is the price of encryption in user space, for which there is no target. iperf3's CPU figures count iperf3 alone: on",
    "path (d) the encryption is done by the hosts' wireguard-go daemons, which they do not see.",
    `Per path and way: RTT from \`ping -i 0.001\`, ${pings} replies (the mean of the per-packet times) in ${RTT_BLOCKS} blocks of ${Math.ceil(pings / RTT_BLOCKS)},`,
    "the path's ways taken in turn block by block (each block is one ping, and its first reply, often ten times slower than the rest on",
    `every path, is dropped); \`iperf3 -t ${seconds}\` TCP (received throughput, and iperf3's own CPU use of sender / receiver).`,
    '"CPU s per GB" is (sender + receiver CPU share) / throughput: CPU seconds spent per 8 Gbit.',
    `CPU per packet: \`iperf3 -u -l ${SMALL_UDP.bytes} -b ${SMALL_UDP.bitsPerSecond / 1e6}M -t ${seconds}\` (${Math.round(SMALL_UDP.bitsPerSecond / 8 / SMALL_UDP.bytes / 1000)}k datagrams a second, a rate every path carries),`,
    'sender + receiver CPU as iperf3 reports it (their own user and system time: on these veth paths the kernel carries each',
    "datagram through bridges, VXLAN and firewalls within the sender's system call), divided by the datagrams delivered. Small",
    'packets make the fixed cost of each layer show: what a TCP stream with segmentation offload pays once per 64 KB, this pays',
    "per datagram. The machine's CPU counters (/proc/stat) are not used here: they are sampled at each timer tick, and a",
    'sender paced by timers is mostly asleep when the tick comes: in a check over one veth pair, 0.09 s of busy CPU while the two',
    'iperf3 processes used 0.58 s.',
    "RTTs here are a few microseconds and throughput several Gbit/s, all on 2 shared CPUs: the load moves each way's figures by tens",
    'of percent from one run to the next (the spread of the runs is given), more than any target here. So each "tvd / …" figure is',
    "the median of the runs' own ratios (each run's tvd figure over its plain one, measured within seconds of each other), with",
    'their spread: the load moves both sides of such a ratio alike. That is why the RTTs are taken in turn: measured each in one',
    "go, seconds apart, path (a)'s ratio (the same bridge-and-veth path both ways) read anywhere from −6% to +34% in earlier runs.",
    `Median of ${runs} runs; for throughput and CPU per packet, tvd and plain alternate which goes first. Load average before: ${loadBefore}, after: ${loadAverage()}.`,
    '',
    table(
      [
        'path',
        'way',
        'RTT avg (mean of 1,000 pings)',
        'TCP throughput',
        'CPU sender / receiver',
        'CPU s per GB',
        `CPU per ${SMALL_UDP.bytes}-byte UDP packet`,
      ],
      rows,
    ),
    '',
    ...facts,
    '',
    `Path (b) in three states set on both hosts, taken in turn within each run (median of ${runs} runs each):`,
    '',
    table(
      ['path (b), VXLAN', 'RTT avg', 'TCP throughput', 'CPU sender / receiver', 'CPU s per GB', 'throughput / as tvd sets it'],
      variantRows,
    ),
    '',
    'In the lab, "two hosts" are two network namespaces on one kernel joined by a Linux bridge (the lab segment): the VXLAN path',
    'pays for encapsulation, an extra UDP/IP layer, the underlay bridge and decapsulation, all on the same 2 CPUs, while the bare',
    'bridge pays for none. There is no NIC, so the VXLAN offloads that hardware gives (tx-udp_tnl-segmentation, checksum) are',
    'done in software here; what tvd sets is the MTU: uplink MTU minus 50 for VXLAN on the TVD bridge and the VM NICs (so nothing',
    'fragments), and a warning to raise the uplink MTU to 1550 to keep 1500 inside the TVD. Segmentation offload already carries',
    'whole 64 KB TCP segments through the VXLAN device and the veth uplinks unsegmented (tx-udp_tnl-segmentation on the uplink).',
    "The second table measures two settings tvd does not make. GRO on the uplinks: real NICs have it on by default, the lab's",
    "veth uplinks have it off; that is the lab's doing, and an uplink's offloads belong to the host, so tvd leaves them alone.",
    'Outer UDP checksums: RFC 7348 says they SHOULD be zero, and in software they cost CPU; tvd keeps them, because without them',
    "nothing checks the VXLAN header end to end, and its VNI is what keeps one TVD's frames out of another. On real NICs the",
    'checksum is offloaded (tx-udp_tnl-csum-segmentation).',
    '',
    '**Why the RTT targets of (b) and (c) read as missed.** With no wire, a round trip here is a few microseconds, and ping',
    'times each reply to the microsecond: one microsecond is 15–30% of the plain path, so each RTT is the mean of the per-packet times',
    '(finer than ping\'s own summary, which rounds its average to a microsecond). What tvd adds is best read in the "tvd / …" rows as',
    'microseconds. Beside bridged Xen, what is left is the VXLAN encapsulation and decapsulation themselves (an extra UDP/IP',
    'layer and a route lookup on each host, in software); beside one bare bridge, also the underlay. Path (c) adds a second',
    "routing hop, two bridges and two conntrack + nftables lookups. The paper's +12% / +14.9% were relative to bridged Xen on",
    'real NICs, where the base round trip is tens to hundreds of microseconds; the same few added microseconds there are a few',
    'percent. This lab cannot show that ratio, so the targets stay open until measured on hosts with NICs. The last column of',
    "the first table counts the same cost as CPU: the microseconds of CPU that tvd's path adds to each small datagram (for (b) the",
    'encapsulation, decapsulation and the extra UDP/IP layer; for (c) two firewall namespaces with conntrack and nftables), a',
    'fixed cost per packet that larger packets and offloads spread over more bytes.',
    '',
    '**Why (c) loses throughput.** TCP here is CPU-bound (the sender runs near 90% of a CPU), so throughput follows CPU per byte',
    '(the "CPU s per GB" column): the firewall path crosses two bridges and two firewall namespaces, each with conntrack and an',
    'nftables ruleset, where the plain path crosses one router namespace with no rules. The firewalls are what a controlled',
    'connection is; what tvd can keep small is the ruleset (one stateful accept of established flows first, then the allowed',
    'flows), which it does.',
  ].join('\n');
  return { title: 'Data plane', command: 'node dist/bench/data-plane.js', body, targets };
}

if (isMain(import.meta.url)) {
  printSection(await run({ runs: argNumber('runs', 5), seconds: argNumber('seconds', 3), pings: argNumber('pings', 1000) }));
}
