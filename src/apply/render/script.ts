// The frame every rendered `up`/`down` shares, and the shell helpers some of them need.
// A fragment is a whole script: boot.sh runs the recorded copy with `sh FILE`, and the host
// bundle runs it inline in a subshell; `set -eu` makes the first failing command fail it.
import { addressKey, type Address } from '../../address/address.js';
import { TVD_MKDIR } from '../../host/own-folders.js';
import { sh, shComment, shJoin, type Sh } from './quote.js';

/** The body is shell text only (Sh): a raw value cannot be put into a script by mistake. */
export function script(verb: 'up' | 'down', address: Address, body: readonly Sh[]): Sh {
  const head = shComment(`tvd ${verb}: ${addressKey(address)} (rendered by tvd; do not edit)`);
  return shJoin([sh`#!/bin/sh`, head, sh`set -eu`, ...body, sh``]);
}

/**
 * tvd_put PATH MODE CONTENT: write a root-owned file atomically (a temp file beside it, then
 * rename), and only when its content differs, so that an unchanged up touches nothing.
 * Sets tvd_changed=1 when it wrote. A missing folder is made and marked (tvd_mkdir).
 */
export const TVD_PUT = sh`${TVD_MKDIR}
# shellcheck disable=SC2034 # tvd_changed is read only by the scripts that care
{
tvd_changed=0
tvd_put() {
  if [ -f "$1" ] && printf '%s' "$3" | cmp -s - "$1"; then
    chmod "$2" "$1"
    return 0
  fi
  tvd_mkdir "\${1%/*}"
  (umask 077 && printf '%s' "$3" >"$1.tvd-tmp")
  chown 0:0 "$1.tvd-tmp"
  chmod "$2" "$1.tvd-tmp"
  mv -f "$1.tvd-tmp" "$1"
  tvd_changed=1
}
}`;

/** Parent folder of a checked absolute path. */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
