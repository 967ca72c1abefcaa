// The host bundle: one POSIX sh script, sent over one SSH exec (`sh -s` on stdin), that carries
// out a host's steps in the given order, records each one that succeeds, stops at the first that
// fails, and ends (always) with the host's manifest.
//
// stdout carries only machine-readable lines:
//   @@tvd begin <address> <action>
//   @@tvd ok <address>
//   @@tvd fail <address> <exit code>
//   @@tvd manifest-begin / <address> <sha256 of attrs.json> ... / @@tvd manifest-end
// Everything the steps print goes to stderr. Exit 0 when every step succeeded, else 1; 75 with
// `@@tvd busy <holder>` and nothing done when another run held the host lock (src/host/host-lock.ts).
// Each step runs in a subshell with stdin from /dev/null: the bundle itself is stdin.
import { addressKey, type Address } from '../../address/address.js';
import type { AnyResource } from '../../plan/resources.js';
import { bare, sh, shComment, shJoin, shQuote, shTrimEnd, type Sh } from './quote.js';
import { renderDown, renderUp } from './resource-scripts.js';
import { attrsJson, MANIFEST_FN, recordDirName } from './host-record.js';
import { vmNicChanges } from './vm.js';
import { DEFAULT_HOST_LOCK_WAIT_S, exclusiveLockScript, type HostLockOptions } from '../../host/host-lock.js';
import { TVD_RMDIR } from '../../host/own-folders.js';
import { HOST_LOCK_HOLDER, HOST_LOCK_PATH, PROBE_CACHE, RECORDS_DIR, RUN_DIR, TVD_DIR } from '../../host/paths.js';

export interface BundleStep {
  address: Address;
  action: 'create' | 'update' | 'delete' | 'replace';
  before?: AnyResource;
  after?: AnyResource;
}

const PREAMBLE = sh`PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
umask 022
tvd_all_ok=1

${MANIFEST_FN}

${TVD_RMDIR}

# tvd_finish: the manifest; when nothing is recorded any more, the folders tvd made go (not one
# that was there before) and so do the probe's per-boot cache and the host lock, this bundle's
# last step under it (a run waiting for it takes it anew, host-lock.ts): destroy leaves nothing of tvd.
tvd_finish() {
  tvd_manifest
  if [ "$tvd_records" = 0 ]; then
    tvd_rmdir ${RECORDS_DIR}
    tvd_rmdir ${TVD_DIR}
    rm -f ${PROBE_CACHE} ${HOST_LOCK_HOLDER} ${HOST_LOCK_PATH}
    tvd_rmdir ${RUN_DIR}  # also the host lock's folder
  fi
  if [ "$tvd_all_ok" = 1 ]; then exit 0; fi
  exit 1
}`;

/** Only in bundles that record something: shellcheck rightly flags functions nobody calls. */
// Until attrs.json is there again the folder is not in the manifest, so address, up and down
// are written in place; attrs.json alone goes beside and is renamed in. One process (mv) per
// record, where a mkdir, rm and mv per file cost seven. The record is private (umask 077),
// set and restored here rather than in a subshell, which cost a fork per record.
// tvd_mkdir comes with the host lock's script, which every bundle has.
const RECORD_FNS = sh`# tvd_record DIR ADDRESS UP DOWN ATTRS: record an applied resource; attrs.json last, the commit.
tvd_record() {
  tvd_mkdir ${RECORDS_DIR} || return 1
  set -- "${RECORDS_DIR}/$1" "$2" "$3" "$4" "$5"
  umask 077
  { [ -d "$1" ] || mkdir "$1"; } &&
    { [ ! -e "$1/attrs.json" ] || rm -f "$1/attrs.json"; } &&
    printf '%s' "$2" >"$1/address" && printf '%s' "$3" >"$1/up" && printf '%s' "$4" >"$1/down" &&
    printf '%s' "$5" >"$1/attrs.json.tvd-tmp" &&
    mv -f "$1/attrs.json.tvd-tmp" "$1/attrs.json"
  tvd_rc=$?
  umask 022
  return "$tvd_rc"
}`;

/** A phase: a whole script run in a subshell, without the host lock's fd (see src/host/host-lock.ts); `rc` keeps the first failure. */
function phase(text: Sh): Sh[] {
  return [sh`if [ "$rc" -eq 0 ]; then`, sh`(`, shTrimEnd(text), sh`) </dev/null >&2 9>&-`, sh`rc=$?`, sh`fi`];
}

function command(line: Sh, directive?: Sh): Sh[] {
  return [sh`if [ "$rc" -eq 0 ]; then`, ...(directive ? [sh`  ${directive}`] : []), sh`  ${line} >&2 || rc=$?`, sh`fi`];
}

function need(r: AnyResource | undefined, what: string, step: BundleStep): AnyResource {
  if (!r) throw new Error(`${step.action} of ${addressKey(step.address)} needs ${what}`);
  if (addressKey(r.address) !== addressKey(step.address)) {
    throw new Error(`${step.action} of ${addressKey(step.address)} was given ${what} of ${addressKey(r.address)}`);
  }
  return r;
}

function renderStep(host: string, step: BundleStep, index: number, total: number): Sh[] {
  if (step.address.host !== host) throw new Error(`step ${addressKey(step.address)} is not for host ${host}`);
  const key = addressKey(step.address);
  const dir = shQuote(recordDirName(step.address));
  const lines: Sh[] = [
    shComment(`${index + 1}/${total}: ${key} ${step.action}`),
    sh`echo ${shQuote(`@@tvd begin ${key} ${step.action}`)}`,
    sh`rc=0`,
  ];
  const record = (after: AnyResource) =>
    command(
      sh`tvd_record ${dir} ${shQuote(key)} ${shQuote(renderUp(after))} ${shQuote(renderDown(after))} ${shQuote(attrsJson(after.attrs))}`,
      sh`# shellcheck disable=SC2016,SC1003 # scripts as data: nothing in them may expand here`,
    );
  const forget = command(sh`rm -rf ${shQuote(`${RECORDS_DIR}/${recordDirName(step.address)}`)}`);
  switch (step.action) {
    case 'create':
    case 'update': {
      const after = need(step.after, 'after', step);
      if (step.action === 'update' && after.address.type === 'vm' && step.before) {
        const before = need(step.before, 'before', step);
        const nics = vmNicChanges(after.address.name, before.attrs as never, after.attrs as never);
        if (nics.length) lines.push(...phase(shJoin([sh`set -eu`, ...nics])));
      }
      lines.push(...phase(renderUp(after)), ...record(after));
      break;
    }
    case 'delete':
      lines.push(...phase(renderDown(need(step.before, 'before', step))), ...forget);
      break;
    case 'replace': {
      const after = need(step.after, 'after', step);
      lines.push(...phase(renderDown(need(step.before, 'before', step))), ...forget, ...phase(renderUp(after)), ...record(after));
      break;
    }
    default:
      throw new Error(`unknown action: ${JSON.stringify((step as { action: unknown }).action)}`);
  }
  lines.push(
    sh`if [ "$rc" -ne 0 ]; then`,
    sh`  echo ${shQuote(`@@tvd fail ${key}`)} "$rc"`,
    sh`  tvd_all_ok=0`,
    sh`  tvd_finish`,
    sh`fi`,
    sh`echo ${shQuote(`@@tvd ok ${key}`)}`,
  );
  return lines;
}

/** The one script that applies `steps` (already in order) on `host`, under the host's exclusive lock. */
export function renderHostBundle(host: string, steps: BundleStep[], lock: HostLockOptions = { waitSeconds: DEFAULT_HOST_LOCK_WAIT_S }): Sh {
  const name = bare('name', host);
  const blank = sh``;
  return shJoin([
    sh`#!/bin/sh`,
    sh`# tvd host bundle for ${name}: ${steps.length} step(s) (rendered by tvd; do not edit)`,
    PREAMBLE,
    blank,
    shTrimEnd(exclusiveLockScript(lock)),
    ...(steps.some((s) => s.action !== 'delete') ? [blank, RECORD_FNS] : []),
    blank,
    ...steps.flatMap((s, i) => [...renderStep(host, s, i, steps.length), blank]),
    sh`tvd_finish`,
    blank,
  ]);
}
