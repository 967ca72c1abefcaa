// The probe endpoints of `verify --probe` as every refresh knows them: their names, the lock a
// probe run holds, and the sweep that removes probes a run left behind. verify's own scripts
// (src/verify/traffic-probe-scripts.ts) build on these; refresh never imports verify.
import { sharedLockScript } from '../host/host-lock.js';
import { PROBE_LOCK_PATH, RUN_DIR } from '../host/paths.js';
import { TVD_MKDIR } from '../host/own-folders.js';
import { sh, type Sh } from '../shell/quote.js';

/** Namespaces and host-side veths of probes start with this; nothing else of tvd's does. */
export const PROBE_PREFIX = 'tvdp-';

/** The holder's exit when another probe run holds the probe lock (EX_TEMPFAIL, as the host lock). */
export const PROBE_BUSY_EXIT = 75;

export const PROBE_SCRIPT_HEAD = sh`trap '' PIPE
set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL`;

/** tvd_probe_lock: fd 8 on the probe lock, exclusive, without waiting. 0 held, 1 a probe run holds it, 2 cannot. */
export const PROBE_LOCK_FN = sh`${TVD_MKDIR}
tvd_probe_lock() {
  for _ in 1 2 3; do
    tvd_mkdir ${RUN_DIR} 2>/dev/null
    { command exec 8>>${PROBE_LOCK_PATH}; } 2>/dev/null || return 2
    flock -n -x 8 || return 1
    # A lock file removed since it was opened (the run that held it ended) is no lock: again.
    # shellcheck disable=SC3013
    if [ ! -e /dev/fd/8 ] || [ /dev/fd/8 -ef ${PROBE_LOCK_PATH} ]; then return 0; fi
  done
  return 2
}`;

/** tvd_probe_clean: every probe on this host goes (its processes, its veth, its namespace), each named once. */
export const PROBE_CLEAN_FN = sh`tvd_probe_clean() {
  for tvd_p in /var/run/netns/tvdp-*; do
    [ -e "$tvd_p" ] || continue
    tvd_n=\${tvd_p##*/}
    case $tvd_n in *[!a-z0-9-]*) continue ;; esac
    for tvd_pid in $(ip netns pids "$tvd_n" 2>/dev/null); do kill -9 "$tvd_pid" 2>/dev/null; done
    ip -n "$tvd_n" link del dev eth0 2>/dev/null
    ip netns del "$tvd_n" 2>/dev/null
    echo "@@tvd probe-removed $tvd_n"
  done
  ip -o link show 2>/dev/null | while IFS=': ' read -r _ tvd_d _; do
    tvd_d=\${tvd_d%%@*}
    case $tvd_d in tvdp-*) ip link del dev "$tvd_d" 2>/dev/null && echo "@@tvd probe-removed $tvd_d" ;; esac
  done
}`;

/** The sweep: probes left behind go, unless a probe run holds the lock (then they are its own). */
export function sweepScript(hostLockWait: number): Sh {
  return sh`#!/bin/sh
# tvd: probes of verify --probe left behind (rendered by tvd)
${PROBE_SCRIPT_HEAD}
${sharedLockScript({ waitSeconds: hostLockWait })}
${PROBE_LOCK_FN}
${PROBE_CLEAN_FN}
tvd_probe_lock
case $? in
  1) echo '@@tvd probe-busy'; exit 0 ;;
  2) exit 1 ;;
esac
tvd_probe_clean
rm -f ${PROBE_LOCK_PATH}
`;
}

/** The probe names a holder or sweep said it removed. */
export function parseRemoved(stdout: string): string[] {
  return [...new Set([...stdout.matchAll(/^@@tvd probe-removed (tvdp-[a-z0-9-]+)$/gm)].map((m) => m[1]))].sort();
}
