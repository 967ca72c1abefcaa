// firewall: a TVD's firewall domain, a network namespace in Dom0 (the paper's firewall VM).
// Its leg is a veth pair: the host end on the TVD's bridge, the inner end `lan0` holding the
// gateway. The nftables ruleset is written to /var/lib/tvd/fw/NS.nft and loaded with
// `nft -f`, which applies the whole file as one transaction: the file starts with
// `flush ruleset` (the namespace belongs to tvd alone), so a reload replaces, never adds.
// It is loaded only when the file changed or the loaded ruleset drifted from the snapshot
// taken after the last load (`nft -s`, without counters), so an unchanged up loads nothing.
import type { Resource } from '../../plan/resources.js';
import { assertSafe, q, sh, shQuote, type Sh } from './quote.js';
import { deleteLink, exactAddress, indent, ipBatch, linkExists } from './links.js';
import { script, TVD_PUT } from './script.js';
import { TVD_RMDIR } from '../../host/own-folders.js';
import { FIREWALL_DIR } from '../../host/paths.js';

export function rulesetPath(namespace: string): string {
  return `${FIREWALL_DIR}/${assertSafe('ifname', namespace)}.nft`;
}

// The firewall namespace's own links: fixed names, written as they are.
const [LO, LAN0] = [sh`lo`, sh`lan0`];

export function firewallUp(r: Resource<'firewall'>): Sh {
  const a = r.attrs;
  const [ns, leg] = [q('ifname', a.namespace), q('ifname', a.leg)];
  const [legW, mtuW] = [assertSafe('ifname', a.leg), assertSafe('int', a.mtu)];
  const prefix = assertSafe('cidr', a.subnet).split('/')[1];
  const gw = shQuote(`${assertSafe('ipv4', a.gateway)}/${prefix}`);
  const file = shQuote(rulesetPath(a.namespace));
  const loaded = shQuote(`${rulesetPath(a.namespace)}.loaded`);
  const loadedTmp = shQuote(`${rulesetPath(a.namespace)}.loaded.tvd-tmp`);
  const inNs = sh`ip netns exec ${ns}`;
  return script('up', r.address, [
    TVD_PUT,
    sh`if ! ${linkExists(ns, LO)}; then`,
    // A name left without its namespace (a stale file) would make `ip netns add` fail.
    sh`  ip netns del ${ns} 2>/dev/null || true`,
    sh`  ip netns add ${ns}`,
    sh`fi`,
    // Written, not read first: setting it to what it is changes nothing, and a read cost two processes.
    sh`${inNs} sysctl -qw net.ipv4.ip_forward=1`,
    // The leg: made again whole when either end is missing.
    sh`if ! ${linkExists(ns, LAN0)} || ! ${linkExists(null, leg)}; then`,
    ...indent(deleteLink(null, leg)),
    ...indent(deleteLink(ns, LAN0)),
    sh`  ip link add name ${leg} type veth peer name lan0 netns ${ns}`,
    sh`fi`,
    // One `ip link set` sets several attributes; the kernel applies MTU and address before up (and
    // master before or after it, as its version has it: either way the leg ends on the bridge, up).
    ...ipBatch(null, [
      ['link', 'set', 'dev', legW, 'addrgenmode', 'none'],
      ['link', 'set', 'dev', legW, 'mtu', mtuW, 'master', assertSafe('ifname', a.bridge), 'up'],
    ]),
    ...ipBatch(ns, [
      ['link', 'set', 'dev', 'lo', 'up'],
      // A stable MAC for the gateway, so the VMs' ARP caches stay right across a Dom0 reboot.
      [
        'link',
        'set',
        'dev',
        'lan0',
        'mtu',
        mtuW,
        ...(a.gatewayMac !== undefined ? ['address', assertSafe('mac', a.gatewayMac)] : []),
        'up',
      ],
    ]),
    ...exactAddress(ns, LAN0, gw),
    sh`tvd_put ${file} 0600 ${shQuote(`flush ruleset\n${a.ruleset}`)}`,
    sh`if [ "$tvd_changed" = 1 ] || ! ${inNs} nft -s list ruleset | cmp -s - ${loaded}; then`,
    sh`  ${inNs} nft -f ${file}`,
    // The snapshot is private like the ruleset, and replaced whole (a torn one would only force a reload).
    sh`  (umask 077 && ${inNs} nft -s list ruleset >${loadedTmp}) && mv -f ${loadedTmp} ${loaded}`,
    sh`fi`,
  ]);
}

export function firewallDown(r: Resource<'firewall'>): Sh {
  const a = r.attrs;
  const [ns, leg] = [q('ifname', a.namespace), q('ifname', a.leg)];
  const file = rulesetPath(a.namespace);
  return script('down', r.address, [
    TVD_RMDIR,
    sh`if ${linkExists(ns, LO)}; then`,
    // Delete the links inside first: a veth goes with its peer at once, whereas the kernel
    // frees a deleted namespace's links only later.
    sh`  ip -n ${ns} -o link show | while IFS=': ' read -r _ tvd_dev _; do`,
    sh`    tvd_dev=\${tvd_dev%%@*}`,
    sh`    if [ "$tvd_dev" != lo ]; then ip -n ${ns} link del dev "$tvd_dev" 2>/dev/null || true; fi`,
    sh`  done`,
    sh`  ip netns del ${ns}`,
    sh`fi`,
    ...deleteLink(null, leg),
    sh`rm -f ${shQuote(file)} ${shQuote(`${file}.loaded`)} ${shQuote(`${file}.tvd-tmp`)} ${shQuote(`${file}.loaded.tvd-tmp`)}`,
    sh`tvd_rmdir ${shQuote(FIREWALL_DIR)}`,
  ]);
}
