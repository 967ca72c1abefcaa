// proxy: the host's TVD proxy. Its policy (policy.json), the vif hook that enforces it, and
// the boot script and unit that bring the TVD networks back after a reboot. All files are
// written root-owned through a temp file and a rename, and only when their content differs.
import { createHash } from 'node:crypto';
import type { Resource } from '../../plan/resources.js';
import { sh, shJoin, shQuote, type Sh } from './quote.js';
import { dirOf, script, TVD_PUT } from './script.js';
import { policyFile } from './policy-file.js';
import { VIF_HOOK } from './vif-hook.js';
import { BOOT_SCRIPT, BOOT_UNIT } from './boot-unit.js';
import {
  BOOT_SCRIPT_PATH,
  BOOT_UNIT_NAME,
  BOOT_UNIT_PATH,
  BOOT_UNIT_WANTS,
  POLICY_PATH,
  VIF_HOOK_LOG,
  VIF_HOOK_PATH,
} from '../../host/paths.js';
import { TVD_RMDIR } from '../../host/own-folders.js';

/**
 * The digest the planner puts in ProxyAttrs.hookDigest: it changes whenever a new tvd renders
 * a different hook, boot script or unit, so that the plan updates the proxy on every host.
 */
export function proxyHookDigest(): string {
  return createHash('sha256').update(VIF_HOOK).update('\0').update(BOOT_SCRIPT).update('\0').update(BOOT_UNIT).digest('hex');
}

const SYSTEMD_RUNS = sh`[ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1`;
const logDir = dirOf(VIF_HOOK_LOG);
const wantsDir = dirOf(BOOT_UNIT_WANTS);

export function proxyUp(r: Resource<'proxy'>): Sh {
  const s = shQuote;
  return script('up', r.address, [
    TVD_PUT,
    sh`tvd_put ${s(POLICY_PATH)} 0600 ${s(policyFile(r.address.host, r.attrs.admissions))}`,
    sh`# shellcheck disable=SC2016 # a script as data: nothing in it may expand here`,
    sh`tvd_put ${s(VIF_HOOK_PATH)} 0755 ${s(VIF_HOOK)}`,
    sh`# shellcheck disable=SC2016`,
    sh`tvd_put ${s(BOOT_SCRIPT_PATH)} 0755 ${s(BOOT_SCRIPT)}`,
    sh`tvd_changed=0`,
    sh`tvd_put ${s(BOOT_UNIT_PATH)} 0644 ${s(BOOT_UNIT)}`,
    // Made here, marked, rather than by the hook's first log line or by systemctl enable, so
    // that down knows whether they were there before tvd.
    sh`tvd_mkdir ${s(logDir)}`,
    sh`tvd_mkdir ${s(wantsDir)}`,
    sh`if ${SYSTEMD_RUNS}; then`,
    sh`  if [ "$tvd_changed" = 1 ]; then systemctl daemon-reload; fi`,
    sh`  if ! systemctl is-enabled --quiet ${BOOT_UNIT_NAME} 2>/dev/null; then systemctl enable --quiet ${BOOT_UNIT_NAME}; fi`,
    // Without a running systemd, enable is this one link (what WantedBy= asks for).
    sh`elif [ ! -L ${s(BOOT_UNIT_WANTS)} ]; then`,
    sh`  ln -s ${s(BOOT_UNIT_PATH)} ${s(BOOT_UNIT_WANTS)}`,
    sh`fi`,
  ]);
}

export function proxyDown(r: Resource<'proxy'>): Sh {
  const s = shQuote;
  const files = [POLICY_PATH, VIF_HOOK_PATH, BOOT_SCRIPT_PATH, BOOT_UNIT_PATH, VIF_HOOK_LOG];
  return script('down', r.address, [
    TVD_RMDIR,
    sh`if ${SYSTEMD_RUNS} && systemctl is-enabled --quiet ${BOOT_UNIT_NAME} 2>/dev/null; then`,
    sh`  systemctl disable --quiet ${BOOT_UNIT_NAME}`,
    sh`fi`,
    sh`rm -f ${s(BOOT_UNIT_WANTS)}`,
    sh`rm -f ${shJoin(
      files.flatMap((f) => [s(f), s(`${f}.tvd-tmp`)]),
      ' ',
    )}`,
    sh`if ${SYSTEMD_RUNS}; then systemctl daemon-reload; fi`,
    // Only the folders tvd made, each with its parents that tvd made (a host without Xen's
    // scripts folder or systemd's had them made by up); policy.json's and boot.sh's, with the
    // records' folder, at the end of the bundle.
    ...[logDir, wantsDir, dirOf(VIF_HOOK_PATH)].map((d) => sh`tvd_rmdir ${s(d)}`),
  ]);
}
