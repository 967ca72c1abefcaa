// The host lock: every script tvd runs on a host starts by taking `flock` on /run/tvd/lock,
// shared to read the host (refresh, verify, the probe, reading records back) and exclusive to
// change it (the bundle), so that no run reads a manifest while another changes it, also when
// that other is a bundle whose tvd was killed and which still runs. A script that cannot have
// the lock within the wait prints `@@tvd busy <holder>` and exits 75, having done nothing.
//
// It costs one process (flock) per script, on every host of every refresh: the lock is the
// shell's own fd 9 (`exec`, no process), the folder is made only when it is missing, and who
// holds it is written and read with the shell's printf and read. The lock is the open file,
// so it ends with the script: killed, cut off or done. The folder carries tvd's mark, and a
// bundle that leaves the host with no record removes the lock, its holder and (if tvd made it)
// the folder, as destroy leaves nothing of tvd: a script that took the lock on a file that is
// gone from the path since takes it again. A bundle's steps run with fd 9 closed,
// so that nothing they leave running (a domain's xl process) keeps the host locked.
import { sh, shBare, shQuote, type Sh } from '../shell/quote.js';
import { TVD_MKDIR } from './own-folders.js';
import { HOST_LOCK_HOLDER, HOST_LOCK_PATH, RUN_DIR } from './paths.js';

export const DEFAULT_HOST_LOCK_WAIT_S = 30;
/** EX_TEMPFAIL: the host was busy. */
export const BUSY_EXIT = 75;

export interface HostLockOptions {
  /** How long a script waits for the lock before it gives up. */
  waitSeconds: number;
  /** Who an exclusive holder is, as another run will read it: the tvd run, its user, machine and lock ID. */
  holder?: string;
}

function waitArg(s: number): Sh {
  if (!Number.isFinite(s) || s <= 0) throw new Error(`host lock wait must be > 0 s, got ${s}`);
  return shBare(String(Math.round(s * 1000) / 1000));
}

const BUSY_FN = sh`tvd_busy() {
  tvd_hpid=''
  tvd_htext=''
  if [ -r ${HOST_LOCK_HOLDER} ]; then read -r tvd_hpid tvd_htext <${HOST_LOCK_HOLDER}; fi
  if [ -n "$tvd_hpid" ] && [ -d "/proc/$tvd_hpid" ]; then
    echo "@@tvd busy $tvd_htext, whose script is pid $tvd_hpid on this host"
  else
    echo '@@tvd busy a tvd run that is reading this host (a refresh or verify)'
  fi
  exit ${BUSY_EXIT}
}`;

/**
 * Open the lock file as fd 9 and take it (flock's exit code in tvd_lk; empty when the file could
 * not be opened). The folder is made with tvd's mark (own-folders.ts): a bundle that leaves the
 * host with no record removes the lock file and, if tvd made it, the folder (host-bundle.ts), so
 * a lock taken on a file that is no longer at the path is no lock: it is taken again, anew.
 */
function takeLock(mode: '-s' | '-x', o: HostLockOptions, quiet: boolean): Sh {
  const [m, silence] = [shBare(mode), quiet ? sh` 2>/dev/null` : sh``];
  return sh`tvd_lk=''
for _ in 1 2 3; do
  tvd_mkdir ${RUN_DIR} 2>/dev/null
  if ! { command exec 9>>${HOST_LOCK_PATH}; } 2>/dev/null; then continue; fi
  flock -E ${BUSY_EXIT} ${m} -w ${waitArg(o.waitSeconds)} 9${silence}
  tvd_lk=$?
  # -ef (same file) is POSIX since 2024 and in every sh of Debian's (dash, bash, busybox).
  # shellcheck disable=SC3013
  if [ "$tvd_lk" -ne 0 ] || [ ! -e /dev/fd/9 ] || [ /dev/fd/9 -ef ${HOST_LOCK_PATH} ]; then break; fi
  tvd_lk=''
done`;
}

/** Readers: wait for a bundle to finish; a host where the lock cannot be had at all (not root, no flock) is read unlocked. */
export function sharedLockScript(o: HostLockOptions): Sh {
  return sh`# tvd host lock, shared (src/host/host-lock.ts)
${BUSY_FN}
${TVD_MKDIR}
${takeLock('-s', o, true)}
if [ "$tvd_lk" = ${BUSY_EXIT} ]; then tvd_busy; fi
`;
}

/** The bundle: no change without the lock; once it has it, it says who it is. */
export function exclusiveLockScript(o: HostLockOptions): Sh {
  const holder = (o.holder ?? 'a tvd bundle').replace(/[\r\n]+/g, ' ');
  return sh`# tvd host lock, exclusive (src/host/host-lock.ts)
${BUSY_FN}
${TVD_MKDIR}
${takeLock('-x', o, false)}
if [ -z "$tvd_lk" ]; then
  echo 'tvd: cannot open the host lock ${HOST_LOCK_PATH}' >&2
  exit 1
fi
if [ "$tvd_lk" -eq ${BUSY_EXIT} ]; then tvd_busy; fi
if [ "$tvd_lk" -ne 0 ]; then
  echo "tvd: cannot take the host lock ${HOST_LOCK_PATH} (flock exited $tvd_lk)" >&2
  exit 1
fi
printf '%s %s\\n' "$$" ${shQuote(holder)} >${HOST_LOCK_HOLDER}
`;
}

/** The holder named by a script that found the host busy, or undefined. */
export function busyHolder(stdout: string): string | undefined {
  return /^@@tvd busy (.*)$/m.exec(stdout)?.[1];
}

/** What a user reads when a host stayed busy (prefixed with the host by the caller). */
export function busyMessage(holder: string, waitSeconds = DEFAULT_HOST_LOCK_WAIT_S): string {
  return (
    `busy: another tvd run holds its lock (${HOST_LOCK_PATH}) and did not let go within ${waitSeconds} s: ${holder}. ` +
    'A script whose tvd was killed or cut off runs on until its next step; run again once it has ended (or wait longer with --host-lock-timeout).'
  );
}
