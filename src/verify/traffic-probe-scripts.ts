// The Dom0 scripts of `tvd verify --probe`, rendered purely, and the parsing of what they print.
//
// The holder (one per host, `sh -c`, its stdin the lease): takes the host lock shared (no
// bundle changes the host under the probes) and the probe lock /run/tvd/probe.lock exclusive
// (one probe run per host), removes any probe left behind, attaches this run's probes, prints
// `@@tvd probe-ready`, then waits for its stdin to end: tvd ends it when done, on failure and
// on Ctrl-C, and sshd ends it when the connection goes (tvd killed, the network cut). Either
// way the holder removes its probes, the lock file, and prints `@@tvd probe-gone`.
// The checks (one `sh -s` per probe that sends): ping and TCP connects from its namespace to
// the other probes' addresses, `@@tvd probe-result ID ok|refused|unreachable|none`.
// The sweep (refresh, verify): removes probes left behind unless a probe run holds the lock.
// What marks a probe as tvd's: its name (`tvdp-`, namespace and host-side veth), the alias
// `tvd-probe` on its veth, and the MAC prefix 02:70. Every value from the topology or the state
// is checked (assertSafe) and quoted; the scripts' own loops accept only tvd's name pattern.
import { assertSafe, bare, q, sh, shJoin, shQuote, type Sh } from '../apply/render/quote.js';
import { ipBatch } from '../apply/render/links.js';
import { sharedLockScript } from '../host/host-lock.js';
import type { ProbeCheck, ProbeEndpoint } from './traffic-probe-plan.js';
import { PROBE_BUSY_EXIT, PROBE_CLEAN_FN, PROBE_LOCK_FN, PROBE_SCRIPT_HEAD } from '../refresh/probe-sweep.js';
import { PROBE_LOCK_PATH } from '../host/paths.js';

export const PROBE_ALIAS = 'tvd-probe';

/**
 * Listens on every TCP port given, in the namespace it runs in; the parent exits once all of
 * them listen (so the holder knows), the child accepts and closes until it is killed.
 */
const LISTENER = `use IO::Socket::INET; use IO::Select;
my $s = IO::Select->new;
for my $p (@ARGV) {
  my $l = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => $p, Proto => 'tcp', Listen => 128, ReuseAddr => 1) or die "cannot listen on TCP port $p: $!\\n";
  $s->add($l);
}
exit 0 if fork;
open STDERR, '>', '/dev/null';
while (1) { for my $l ($s->can_read) { my $c = $l->accept; close $c if $c } }`;

/** One TCP connect: ok, refused (a reset: the path is open, nothing listened), unreachable, or none (silence). */
const CONNECT = `use IO::Socket::INET;
my $c = IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => $ARGV[1], Proto => 'tcp', Timeout => 2);
if ($c) { print "ok\\n"; exit 0 }
print $!{ECONNREFUSED} ? "refused\\n" : ($!{EHOSTUNREACH} || $!{ENETUNREACH}) ? "unreachable\\n" : "none\\n";`;

function endpointUp(e: ProbeEndpoint, ports: number[]): Sh[] {
  const [name, bridge, mac, mtu] = [
    assertSafe('ifname', e.name),
    assertSafe('ifname', e.bridge),
    assertSafe('mac', e.mac),
    assertSafe('int', e.mtu),
  ];
  const cidr = assertSafe('cidr', `${e.address}/${e.prefix}`);
  const ns = shQuote(name);
  const fail = (what: string) => sh`tvd_probe_fail ${shQuote(`${what} (probe ${name} of TVD ${e.tvd} on ${bridge})`)}`;
  return [
    sh`ip netns add ${ns} || ${fail('cannot add its namespace')}`,
    // No IPv6 in the probe: nothing of it may reach a TVD but the probes' own packets.
    sh`ip netns exec ${ns} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null`,
    sh`ip link add name ${ns} type veth peer name eth0 netns ${ns} || ${fail('cannot add its veth')}`,
    ...ipBatch(null, [
      ['link', 'set', 'dev', name, 'alias', PROBE_ALIAS],
      ['link', 'set', 'dev', name, 'addrgenmode', 'none'],
      ['link', 'set', 'dev', name, 'mtu', mtu, 'master', bridge, 'up'],
    ]),
    sh`[ $? = 0 ] || ${fail('cannot put its veth on the bridge')}`,
    ...ipBatch(ns, [
      ['link', 'set', 'dev', 'lo', 'up'],
      ['link', 'set', 'dev', 'eth0', 'address', mac, 'mtu', mtu, 'up'],
      ['addr', 'add', cidr, 'dev', 'eth0'],
      ...(e.gateway !== undefined ? [['route', 'add', 'default', 'via', assertSafe('ipv4', e.gateway), 'dev', 'eth0']] : []),
    ]),
    sh`[ $? = 0 ] || ${fail('cannot give it its address')}`,
    sh`tvd_err=$(ip netns exec ${ns} perl -e ${shQuote(LISTENER)} ${shJoin(
      ports.map((p) => bare('int', p)),
      ' ',
    )} 2>&1 >/dev/null </dev/null 8>&- 9>&-) || ${fail('cannot start its listener')}`,
  ];
}

/** The holder of one host's probes: see the top of the file. Run as `sh -c SCRIPT`, stdin kept open. */
export function holderScript(endpoints: ProbeEndpoint[], ports: number[], hostLockWait: number): Sh {
  return shJoin([
    sh`#!/bin/sh`,
    sh`# tvd verify --probe: the probes of this host, for as long as stdin is open (rendered by tvd)`,
    PROBE_SCRIPT_HEAD,
    sharedLockScript({ waitSeconds: hostLockWait }),
    PROBE_LOCK_FN,
    PROBE_CLEAN_FN,
    sh`tvd_probe_end() {
  trap '' HUP INT TERM
  tvd_probe_clean >/dev/null
  rm -f ${PROBE_LOCK_PATH}
  echo '@@tvd probe-gone'
}`,
    sh`tvd_probe_fail() {
  echo "@@tvd probe-fail $1\${tvd_err:+: $tvd_err}"
  tvd_probe_end
  exit 1
}`,
    sh`for tvd_t in ip perl ping flock; do`,
    sh`  command -v "$tvd_t" >/dev/null 2>&1 || { echo "@@tvd probe-fail this host lacks $tvd_t, which the probes need"; exit 1; }`,
    sh`done`,
    sh`tvd_probe_lock`,
    sh`case $? in`,
    sh`  1) echo '@@tvd probe-busy'; exit ${PROBE_BUSY_EXIT} ;;`,
    sh`  2) echo '@@tvd probe-fail cannot open ${PROBE_LOCK_PATH}'; exit 1 ;;`,
    sh`esac`,
    // Probes an earlier run left behind (killed with its host's sshd, say): named, then gone.
    sh`tvd_probe_clean`,
    sh`trap 'tvd_probe_end; exit 1' HUP INT TERM`,
    sh`tvd_err=`,
    ...endpoints.flatMap((e) => endpointUp(e, ports)),
    sh`echo '@@tvd probe-ready'`,
    // The lease: until tvd ends stdin, or sshd does when the connection goes.
    sh`cat >/dev/null 2>&1 8>&- 9>&-`,
    sh`tvd_probe_end`,
    sh``,
  ]);
}

export interface CheckTarget {
  id: number;
  /** 'icmp' or 'tcp/PORT'. */
  probe: string;
  address: string;
}

/** The checks one probe sends, a few at a time, each printing its result line. Run as `sh -s`. */
export function checkScript(source: ProbeEndpoint, targets: CheckTarget[], batch = 24): Sh {
  const ns = q('ifname', source.name);
  const lines: Sh[] = [
    sh`#!/bin/sh`,
    sh`# tvd verify --probe: checks from ${bare('ifname', source.name)} (rendered by tvd)`,
    PROBE_SCRIPT_HEAD,
    sh`[ -e /var/run/netns/${ns} ] || { echo '@@tvd probe-fail the probe is gone'; exit 1; }`,
    sh`tvd_icmp() { if ip netns exec ${ns} ping -n -q -c 3 -i 0.2 -W 1 "$2" >/dev/null 2>&1; then echo "@@tvd probe-result $1 ok"; else echo "@@tvd probe-result $1 none"; fi; }`,
    sh`tvd_tcp() { tvd_r=$(ip netns exec ${ns} perl -e ${shQuote(CONNECT)} "$2" "$3" 2>/dev/null); echo "@@tvd probe-result $1 \${tvd_r:-none}"; }`,
  ];
  targets.forEach((t, i) => {
    const [id, ip] = [bare('int', t.id), shQuote(assertSafe('ipv4', t.address))];
    lines.push(t.probe === 'icmp' ? sh`tvd_icmp ${id} ${ip} &` : sh`tvd_tcp ${id} ${ip} ${bare('int', Number(t.probe.slice(4)))} &`);
    if ((i + 1) % batch === 0) lines.push(sh`wait`);
  });
  lines.push(sh`wait`, sh`echo '@@tvd probe-done'`, sh``);
  return shJoin(lines);
}

export type CheckOutcome = 'ok' | 'refused' | 'unreachable' | 'none';

/** `@@tvd probe-result ID OUTCOME` lines, by check id. */
export function parseCheckResults(stdout: string): Map<number, CheckOutcome> {
  const out = new Map<number, CheckOutcome>();
  for (const m of stdout.matchAll(/^@@tvd probe-result (\d+) (ok|refused|unreachable|none)$/gm))
    out.set(Number(m[1]), m[2] as CheckOutcome);
  return out;
}

/** The reason a holder gave for failing, if it did. */
export function probeFailure(stdout: string): string | undefined {
  return /^@@tvd probe-fail (.*)$/m.exec(stdout)?.[1];
}

/** The checks as targets of their sending probe, grouped by that probe's index. */
export function targetsBySource(endpoints: ProbeEndpoint[], checks: ProbeCheck[], ids: number[]): Map<number, CheckTarget[]> {
  const out = new Map<number, CheckTarget[]>();
  for (const id of ids) {
    const c = checks[id];
    const list = out.get(c.from) ?? [];
    list.push({ id, probe: c.probe, address: endpoints[c.to].address });
    out.set(c.from, list);
  }
  return out;
}
