// A host's WireGuard key: made on the host, on first need, by the refresh of a plan that needs
// it (the plan then carries the public key to the peers in one apply: no second pass). The
// private key never leaves the host: the script prints only the public key.
//   /var/lib/tvd/wireguard/            0700, root, marked as tvd's
//     <generation>.key                 0600, the private key (wg genkey)
//     <generation>.pub                 the public key (wg pubkey), read back by the refresh
// A new generation (hosts.<name>.keyGeneration) is a new key: the wireguard resource's `up`
// takes it and removes the other generations; its `down` removes them all.
import { WIREGUARD_KEY_PATTERN } from '../../capabilities/schema-constants.js';
import { TVD_MKDIR } from '../../host/own-folders.js';
import { bare, sh, type Sh } from './quote.js';
import { TVD_DIR, WIREGUARD_DIR } from '../../host/paths.js';
export const wireguardKeyPath = (generation: number): Sh => sh`${WIREGUARD_DIR}/${bare('int', generation)}.key`;
export const wireguardPubPath = (generation: number): Sh => sh`${WIREGUARD_DIR}/${bare('int', generation)}.pub`;

const KEY = new RegExp(WIREGUARD_KEY_PATTERN);

/**
 * Prints `wgkey <generation> <public key>`, making the key first when it is missing. Two runs at
 * once cannot leave a key and a public key that disagree: the key is linked into place only if
 * none is there (ln fails otherwise), and the public key is always derived from the key in place.
 * A host without `wg` prints nothing; the plan then names what the host lacks.
 */
export function wireguardKeyScript(generation: number): Sh {
  const [key, pub] = [wireguardKeyPath(generation), wireguardPubPath(generation)];
  return sh`(
set -u
${TVD_MKDIR}
if command -v wg >/dev/null 2>&1; then
  if [ ! -s ${pub} ]; then
    umask 022
    tvd_mkdir ${TVD_DIR}
    umask 077
    if [ ! -s ${key} ] && tvd_mkdir ${WIREGUARD_DIR}; then
      wg genkey >${key}.$$ && ln ${key}.$$ ${key} 2>/dev/null
      rm -f ${key}.$$
    fi
    if [ -s ${key} ]; then wg pubkey <${key} >${pub}.$$ && mv -f ${pub}.$$ ${pub}; fi
  fi
  if [ -s ${pub} ]; then
    read -r tvd_pub <${pub} && echo "wgkey ${bare('int', generation)} $tvd_pub"
  fi
fi
) </dev/null
`;
}

/** The `wgkey` lines at the start of a refresh's output, and the rest. */
export function splitWireguardKey(stdout: string): { key?: { generation: number; publicKey: string }; rest: string } {
  let rest = stdout;
  let key: { generation: number; publicKey: string } | undefined;
  while (rest.startsWith('wgkey ')) {
    const nl = rest.indexOf('\n');
    const line = nl < 0 ? rest : rest.slice(0, nl);
    rest = nl < 0 ? '' : rest.slice(nl + 1);
    const [, g, p] = line.split(' ');
    if (/^[1-9][0-9]{0,5}$/.test(g ?? '') && KEY.test(p ?? '')) key = { generation: Number(g), publicKey: p };
  }
  return key ? { key, rest } : { rest };
}
