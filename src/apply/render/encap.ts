// encap: a TVD's tunnel endpoint on a host, a port of its bridge, flooding to the peer hosts.
//   vxlan: one device; each peer is an all-zero FDB entry (head-end replication), learning on.
//   gretap / etherip: point-to-point only, so one device per peer, each a port of the bridge.
// Both converge: missing peers are added, peers no longer listed are removed.
import { createHash } from 'node:crypto';
import type { EncapAttrs, Resource } from '../../plan/resources.js';
import { assertSafe, bare, q, shJoin, shQuote, sh, type Sh } from './quote.js';
import { deleteLink, fabricPort, replayLines } from './links.js';
import { script } from './script.js';

const ZERO = bare('mac', '00:00:00:00:00:00');

export function encapUp(r: Resource<'encap'>): Sh {
  return script('up', r.address, r.attrs.kind === 'vxlan' ? vxlanUp(r.attrs) : perPeerUp(r.attrs));
}

export function encapDown(r: Resource<'encap'>): Sh {
  const a = r.attrs;
  const devs = a.kind === 'vxlan' ? [a.device] : a.peers.map((p) => perPeerDevice(a.device, p)).sort();
  return script(
    'down',
    r.address,
    devs.flatMap((d) => deleteLink(null, q('ifname', d))),
  );
}

function vxlanUp(a: EncapAttrs): Sh[] {
  const dev = q('ifname', a.device);
  const [vni, local, port, uplink] = [bare('int', a.vni), bare('ipv4', a.local), bare('int', a.dstport), bare('ifname', a.uplink)];
  const peers = a.peers.map((p) => bare('ipv4', p));
  const want = [` vxlan id ${vni} `, ` local ${local} `, ` dev ${uplink} `, ` dstport ${port} `].map(shQuote);
  const lines = fabricPort(
    a.device,
    want,
    sh`ip link add name ${dev} type vxlan id ${vni} local ${local} dstport ${port} dev ${shQuote(uplink)}`,
    a.mtu,
    a.bridge,
  );
  // One listing of the flood entries serves every peer (a peer is one line, `ZERO dst IP ...`):
  // a listing and a grep per peer cost two processes each, and a TVD may span many hosts.
  lines.push(sh`tvd_fdb=$(bridge fdb show dev ${dev})`);
  for (const p of peers) {
    lines.push(
      sh`case $tvd_fdb in *${shQuote(`${ZERO} dst ${p} `)}*) ;; *) bridge fdb append ${ZERO} dev ${dev} dst ${shQuote(p)} ;; esac`,
    );
  }
  // Entries to remove: from the same listing (what was appended is a peer, and stays).
  lines.push(
    sh`${replayLines('tvd_fdb')} | while read -r tvd_mac tvd_dst tvd_ip _; do`,
    sh`  if [ "$tvd_mac" = ${ZERO} ] && [ "$tvd_dst" = dst ]; then`,
    sh`    case "$tvd_ip" in`,
    ...(peers.length ? [sh`      ${shJoin(peers.map(shQuote), '|')}) ;;`] : []),
    sh`      *) bridge fdb del ${ZERO} dev ${dev} dst "$tvd_ip" ;;`,
    sh`    esac`,
    sh`  fi`,
    sh`done`,
  );
  return lines;
}

/**
 * The device of one peer: the TVD's device name, cut to leave room, and a hash of the peer's
 * address, so that adding or removing a peer never renames the others'. At most 15 characters.
 */
export function perPeerDevice(device: string, peer: string): string {
  const stem = perPeerStem(device);
  const hash = createHash('sha256').update(assertSafe('ipv4', peer)).digest('hex');
  return `${stem}${hash.slice(0, 15 - stem.length)}`;
}

const perPeerStem = (device: string) => `${assertSafe('ifname', device).slice(0, 9)}-`;

function perPeerUp(a: EncapAttrs): Sh[] {
  const br = q('ifname', a.bridge);
  const [local, kind] = [bare('ipv4', a.local), a.kind === 'gretap' ? sh`gretap` : sh`etherip`];
  const devs = a.peers.map((p) => ({ peer: bare('ipv4', p), name: perPeerDevice(a.device, p) }));
  if (new Set(devs.map((d) => d.name)).size !== devs.length) throw new Error(`per-peer device names of ${a.device} clash`);
  const lines: Sh[] = [];
  for (const { peer, name } of devs) {
    const dev = q('ifname', name);
    // GRE demultiplexes by key, so the TVD's id keeps TVDs apart between the same two hosts.
    // EtherIP has no key: the planner must not put two TVDs on it between one host pair.
    const key = a.kind === 'gretap' ? sh` key ${bare('int', a.vni)}` : sh``;
    const want = [` ${kind} `, ` remote ${peer} `, ` local ${local} `].map(shQuote);
    lines.push(
      ...fabricPort(
        name,
        want,
        sh`ip link add name ${dev} type ${kind} local ${shQuote(local)} remote ${shQuote(peer)}${key} dev ${q('ifname', a.uplink)}`,
        a.mtu,
        a.bridge,
      ),
    );
  }
  // Remove the devices of peers no longer listed: this TVD's per-peer ports of this kind.
  lines.push(
    sh`ip -o link show master ${br} type ${kind} | while IFS=': ' read -r _ tvd_dev _; do`,
    sh`  tvd_dev=\${tvd_dev%%@*}`,
    sh`  case "$tvd_dev" in`,
    ...(devs.length
      ? [
          sh`    ${shJoin(
            devs.map((d) => shQuote(d.name)),
            '|',
          )}) ;;`,
        ]
      : []),
    sh`    ${shQuote(perPeerStem(a.device))}*) ip link del dev "$tvd_dev" ;;`,
    sh`  esac`,
    sh`done`,
  );
  return lines;
}
