// The observation script: one POSIX sh script per host, sent on stdin to `sh -s` in one exec,
// that prints what is live on the host as a line-oriented inventory (parsed by inventory.ts).
// It takes no arguments, so nothing from the topology reaches a shell: it looks at everything
// tvd could have made (by tvd's fixed paths and names) and the client decides what matters.
//
//   observe 3                          format version (first line)
//   links <ns|->                       then `ip -d -o link show` as it prints it, one line per
//                                      link ("N: name: <flags> ..."): every link of the root
//                                      namespace (-) and of tvd's firewall namespaces (tvdfw-*)
//   fdb                                then `bridge fdb show` as it prints it; the parser keeps
//                                      the all-zero entries with a dst (a VXLAN device's flood peers)
//   netns <name>                       each tvd firewall namespace (tvdfw-*)
//   ruleset <name>                     then `nft -s list ruleset` in it, verbatim, up to a line
//   ruleset-end                        ruleset-end; the parser takes its sha256
//   probe-netns <name>                 each namespace of a probe of `verify --probe` (tvdp-*),
//                                      left behind if no probe run holds it (refresh removes it)
//   files                              then `sha256sum` as it prints it ("<sha256>  <path>"),
//                                      for each of tvd's files that exists, the snapshot of each
//                                      firewall's last load (NS.nft.loaded) among them
//   wgpub <dev> <key>                  tvd's WireGuard interface: its public key (never the
//   wgpeer <dev> <key> <ips…>          private one), and each peer with its allowed ips
//   xl                                 then `xl list` as it prints it, up to a line
//   xl-end                             xl-end: the running domains
//   @@tvd manifest-begin ... -end      the manifest (see render/host-record.ts)
//   end                                the last line: anything shorter was cut off
// Read-only: it changes nothing on the host. Every refresh runs it on every host, so it starts as
// few processes as it can: every listing comes as its tool prints it, under a header line, and
// the client filters and hashes it, where a sed, awk or sha256sum on the host would cost a process
// (a millisecond or two of the Dom0's CPU, per host, per refresh).
import { MANIFEST_FN } from '../apply/render/host-record.js';
import { BOOT_SCRIPT_PATH, BOOT_UNIT_PATH, FIREWALL_DIR, POLICY_PATH, VIF_HOOK_PATH, VM_CONFIG_DIR } from '../host/paths.js';
import { WIREGUARD_DEVICE } from '../plan/wireguard.js';
import { sh, shBare } from '../shell/quote.js';

export const OBSERVE_FORMAT = 3;
export const OBSERVE_COMMAND = sh`sh -s`;

const WG = shBare(WIREGUARD_DEVICE);

export const OBSERVE_SCRIPT = sh`#!/bin/sh
# tvd observation (format ${OBSERVE_FORMAT}): what is live on this host. Read-only. (rendered by tvd)
set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
echo 'observe ${OBSERVE_FORMAT}'
echo 'links -'
ip -d -o link show 2>/dev/null
echo fdb
bridge fdb show 2>/dev/null
# What \`ip netns list\` lists: the names under /var/run/netns.
for tvd_p in /var/run/netns/tvdfw-*; do
  [ -e "$tvd_p" ] || continue
  tvd_ns=\${tvd_p##*/}
  case $tvd_ns in *[!a-z0-9-]*) continue ;; esac
  echo "netns $tvd_ns"
  echo "links $tvd_ns"
  ip -n "$tvd_ns" -d -o link show 2>/dev/null
  echo "ruleset $tvd_ns"
  ip netns exec "$tvd_ns" nft -s list ruleset 2>/dev/null
  echo ruleset-end
done
for tvd_p in /var/run/netns/tvdp-*; do
  if [ -e "$tvd_p" ]; then echo "probe-netns \${tvd_p##*/}"; fi
done
set --
for tvd_f in ${VM_CONFIG_DIR}/*.cfg ${FIREWALL_DIR}/*.nft ${FIREWALL_DIR}/*.nft.loaded ${POLICY_PATH} ${VIF_HOOK_PATH} ${BOOT_SCRIPT_PATH} ${BOOT_UNIT_PATH}; do
  if [ -f "$tvd_f" ]; then set -- "$@" "$tvd_f"; fi
done
# One sha256sum for all files (tvd's paths have no spaces or backslashes).
if [ $# -gt 0 ]; then
  echo files
  sha256sum -- "$@"
fi
if [ -e /sys/class/net/${WG} ] && command -v wg >/dev/null 2>&1; then
  if tvd_wg=$(wg show ${WG} public-key 2>/dev/null); then echo "wgpub ${WG} $tvd_wg"; fi
  tvd_wg=$(wg show ${WG} allowed-ips 2>/dev/null) || tvd_wg=""
  while read -r tvd_k tvd_ips; do
    if [ -n "$tvd_k" ]; then echo "wgpeer ${WG} $tvd_k $tvd_ips"; fi
  done <<TVD_EOF
$tvd_wg
TVD_EOF
fi
if command -v xl >/dev/null 2>&1; then
  echo xl
  xl list 2>/dev/null
  echo xl-end
fi
${MANIFEST_FN}
tvd_manifest
echo end
`;
