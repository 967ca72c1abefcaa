// wireguard: the host's WireGuard interface for its confidential TVDs. The kernel's where the
// Dom0 has it, else a wireguard-go daemon (its control socket in /var/run/wireguard). The key is
// the one the refresh made and read back (wireguard-key.ts): `up` refuses to run with another,
// since the peers were planned with this one's public key. Peers converge: missing ones are set,
// unlisted ones removed. Nothing secret is in this script: `wg` reads the private key from its file.
import type { Resource, WireguardAttrs } from '../../plan/resources.js';
import { WIREGUARD_KEY_PATTERN } from '../../capabilities/schema-constants.js';
import { assertSafe, q, shQuote } from './quote.js';
import { deleteLink, exactAddress, ipBatch, linkMatches } from './links.js';
import { script } from './script.js';
import { TVD_MKDIR, TVD_RMDIR } from './own-folders.js';
import { wireguardKeyPath, wireguardPubPath } from './wireguard-key.js';
import { WIREGUARD_DIR, WIREGUARD_RUN_DIR } from '../../host/paths.js';

const KEY = new RegExp(WIREGUARD_KEY_PATTERN);
function publicKey(k: string): string {
  if (!KEY.test(k)) throw new Error(`refusing to render unsafe WireGuard public key: ${JSON.stringify(k)}`);
  return k;
}

/** What `ip -d -o link show` prints for each kind of WireGuard interface. */
const KIND_FRAGMENT = { kernel: shQuote(' wireguard '), 'wireguard-go': shQuote(' tun type tun ') } as const;

export function wireguardUp(r: Resource<'wireguard'>): string {
  const a: WireguardAttrs = r.attrs;
  const dev = q('ifname', a.device);
  const [key, pub] = [wireguardKeyPath(a.generation), wireguardPubPath(a.generation)];
  const sock = `${WIREGUARD_RUN_DIR}/${assertSafe('ifname', a.device)}.sock`;
  const port = assertSafe('int', a.listenPort);
  const peers = a.peers.map((p) => ({
    key: publicKey(p.publicKey),
    endpoint: `${assertSafe('ipv4', p.endpoint)}:${assertSafe('int', p.port)}`,
    allowed: `${assertSafe('ipv4', p.address)}/32`,
  }));
  const make =
    a.implementation === 'kernel'
      ? [`  ip link add name ${dev} type wireguard`]
      : [
          `  tvd_mkdir ${WIREGUARD_RUN_DIR}`,
          // It forks into the background; nothing of it may keep the bundle's output open.
          `  wireguard-go ${dev} </dev/null >/dev/null 2>&1`,
        ];
  const running = a.implementation === 'kernel' ? '' : ` && [ -S ${sock} ]`;
  return script('up', r.address, [
    TVD_MKDIR,
    `if [ ! -s ${key} ] || ! { read -r tvd_pub <${pub} && [ "$tvd_pub" = ${shQuote(publicKey(a.publicKey))} ]; }; then`,
    `  echo 'tvd: the WireGuard key of generation ${assertSafe('int', a.generation)} on this host is not the one this plan was made with: plan again' >&2`,
    '  exit 1',
    'fi',
    `if ! { ${linkMatches(null, dev, [KIND_FRAGMENT[a.implementation]])}${running}; }; then`,
    ...deleteLink(null, dev).map((l) => `  ${l}`),
    ...make,
    'fi',
    // One wg for the key, the port and every peer; then the peers no longer listed go.
    `wg set ${dev} listen-port ${port} private-key ${key}${peers.map((p) => ` peer ${shQuote(p.key)} endpoint ${p.endpoint} allowed-ips ${p.allowed}`).join('')}`,
    `wg show ${dev} peers | while read -r tvd_peer; do`,
    '  case "$tvd_peer" in',
    ...(peers.length ? [`    ${peers.map((p) => shQuote(p.key)).join('|')}) ;;`] : []),
    `    *) wg set ${dev} peer "$tvd_peer" remove ;;`,
    '  esac',
    'done',
    ...exactAddress(null, dev, q('cidr', a.address)),
    ...ipBatch(null, [
      ['link', 'set', 'dev', assertSafe('ifname', a.device), 'addrgenmode', 'none'],
      ['link', 'set', 'dev', assertSafe('ifname', a.device), 'mtu', assertSafe('int', a.mtu), 'up'],
    ]),
    // Keys of other generations (a rotation) go once this one is in use.
    `for tvd_f in ${WIREGUARD_DIR}/*.key ${WIREGUARD_DIR}/*.pub; do`,
    `  case "$tvd_f" in ${key}|${pub}) ;; *) rm -f "$tvd_f" ;; esac`,
    'done',
  ]);
}

export function wireguardDown(r: Resource<'wireguard'>): string {
  const a = r.attrs;
  const dev = q('ifname', a.device);
  const sock = `${WIREGUARD_RUN_DIR}/${assertSafe('ifname', a.device)}.sock`;
  return script('down', r.address, [
    TVD_RMDIR,
    // wireguard-go ends when its interface goes; its socket goes with it, or here.
    ...deleteLink(null, dev),
    ...(a.implementation === 'wireguard-go'
      ? [
          'tvd_i=0',
          `while [ -S ${sock} ] && [ "$tvd_i" -lt 50 ]; do sleep 0.1; tvd_i=$((tvd_i + 1)); done`,
          `rm -f ${sock}`,
          `tvd_rmdir ${WIREGUARD_RUN_DIR}`,
        ]
      : []),
    `rm -f ${WIREGUARD_DIR}/*.key ${WIREGUARD_DIR}/*.pub ${WIREGUARD_DIR}/*.key.* ${WIREGUARD_DIR}/*.pub.*`,
    `tvd_rmdir ${WIREGUARD_DIR}`,
  ]);
}
