// wireguard: the host's WireGuard interface for its confidential TVDs. The kernel's where the
// Dom0 has it, else a wireguard-go daemon (its control socket in /var/run/wireguard). The key is
// the one the refresh made and read back (wireguard-key.ts): `up` refuses to run with another,
// since the peers were planned with this one's public key. Peers converge: missing ones are set,
// unlisted ones removed. Nothing secret is in this script: `wg` reads the private key from its file.
import type { Resource, WireguardAttrs } from '../../plan/resources.js';
import { WIREGUARD_KEY_PATTERN } from '../../capabilities/schema-constants.js';
import { assertSafe, bare, q, sh, shJoin, shQuote, type Sh } from './quote.js';
import { deleteLink, exactAddress, indent, ipBatch, linkMatches } from './links.js';
import { script } from './script.js';
import { TVD_MKDIR, TVD_RMDIR } from '../../host/own-folders.js';
import { wireguardKeyPath, wireguardPubPath } from './wireguard-key.js';
import { WIREGUARD_DIR, WIREGUARD_RUN_DIR } from '../../host/paths.js';

const KEY = new RegExp(WIREGUARD_KEY_PATTERN);
function publicKey(k: string): string {
  if (!KEY.test(k)) throw new Error(`refusing to render unsafe WireGuard public key: ${JSON.stringify(k)}`);
  return k;
}

/** What `ip -d -o link show` prints for each kind of WireGuard interface. */
const KIND_FRAGMENT = { kernel: shQuote(' wireguard '), 'wireguard-go': shQuote(' tun type tun ') } as const;

export function wireguardUp(r: Resource<'wireguard'>): Sh {
  const a: WireguardAttrs = r.attrs;
  const dev = q('ifname', a.device);
  const [key, pub] = [wireguardKeyPath(a.generation), wireguardPubPath(a.generation)];
  const sock = sh`${WIREGUARD_RUN_DIR}/${bare('ifname', a.device)}.sock`;
  const port = bare('int', a.listenPort);
  const peers = a.peers.map((p) => ({
    key: publicKey(p.publicKey),
    endpoint: sh`${bare('ipv4', p.endpoint)}:${bare('int', p.port)}`,
    allowed: sh`${bare('ipv4', p.address)}/32`,
  }));
  const make =
    a.implementation === 'kernel'
      ? [sh`  ip link add name ${dev} type wireguard`]
      : [
          sh`  tvd_mkdir ${WIREGUARD_RUN_DIR}`,
          // It forks into the background; nothing of it may keep the bundle's output open.
          sh`  wireguard-go ${dev} </dev/null >/dev/null 2>&1`,
        ];
  const running = a.implementation === 'kernel' ? sh`` : sh` && [ -S ${sock} ]`;
  return script('up', r.address, [
    TVD_MKDIR,
    sh`if [ ! -s ${key} ] || ! { read -r tvd_pub <${pub} && [ "$tvd_pub" = ${shQuote(publicKey(a.publicKey))} ]; }; then`,
    sh`  echo 'tvd: the WireGuard key of generation ${bare('int', a.generation)} on this host is not the one this plan was made with: plan again' >&2`,
    sh`  exit 1`,
    sh`fi`,
    sh`if ! { ${linkMatches(null, dev, [KIND_FRAGMENT[a.implementation]])}${running}; }; then`,
    ...indent(deleteLink(null, dev)),
    ...make,
    sh`fi`,
    // One wg for the key, the port and every peer; then the peers no longer listed go.
    sh`wg set ${dev} listen-port ${port} private-key ${key}${shJoin(
      peers.map((p) => sh` peer ${shQuote(p.key)} endpoint ${p.endpoint} allowed-ips ${p.allowed}`),
      '',
    )}`,
    sh`wg show ${dev} peers | while read -r tvd_peer; do`,
    sh`  case "$tvd_peer" in`,
    ...(peers.length
      ? [
          sh`    ${shJoin(
            peers.map((p) => shQuote(p.key)),
            '|',
          )}) ;;`,
        ]
      : []),
    sh`    *) wg set ${dev} peer "$tvd_peer" remove ;;`,
    sh`  esac`,
    sh`done`,
    ...exactAddress(null, dev, q('cidr', a.address)),
    ...ipBatch(null, [
      ['link', 'set', 'dev', assertSafe('ifname', a.device), 'addrgenmode', 'none'],
      ['link', 'set', 'dev', assertSafe('ifname', a.device), 'mtu', assertSafe('int', a.mtu), 'up'],
    ]),
    // Keys of other generations (a rotation) go once this one is in use.
    sh`for tvd_f in ${WIREGUARD_DIR}/*.key ${WIREGUARD_DIR}/*.pub; do`,
    sh`  case "$tvd_f" in ${key}|${pub}) ;; *) rm -f "$tvd_f" ;; esac`,
    sh`done`,
  ]);
}

export function wireguardDown(r: Resource<'wireguard'>): Sh {
  const a = r.attrs;
  const dev = q('ifname', a.device);
  const sock = sh`${WIREGUARD_RUN_DIR}/${bare('ifname', a.device)}.sock`;
  return script('down', r.address, [
    TVD_RMDIR,
    // wireguard-go ends when its interface goes; its socket goes with it, or here.
    ...deleteLink(null, dev),
    ...(a.implementation === 'wireguard-go'
      ? [
          sh`tvd_i=0`,
          sh`while [ -S ${sock} ] && [ "$tvd_i" -lt 50 ]; do sleep 0.1; tvd_i=$((tvd_i + 1)); done`,
          sh`rm -f ${sock}`,
          sh`tvd_rmdir ${WIREGUARD_RUN_DIR}`,
        ]
      : []),
    sh`rm -f ${WIREGUARD_DIR}/*.key ${WIREGUARD_DIR}/*.pub ${WIREGUARD_DIR}/*.key.* ${WIREGUARD_DIR}/*.pub.*`,
    sh`tvd_rmdir ${WIREGUARD_DIR}`,
  ]);
}
