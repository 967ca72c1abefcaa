// What a host keeps about what tvd put there: one folder per applied resource,
//   /var/lib/tvd/res/<rank>-<type>.<name>/{address,up,down,attrs.json}
// <rank> is the type's place in apply order (RECORD_RANK), so that name order is apply order
// (boot.sh relies on it). attrs.json is written last and is the commit marker: a folder
// without it is not part of the manifest. The manifest lists `<address> <sha256 of attrs.json>`,
// which the client compares with attrsDigest() of the attributes in its state.
import { createHash } from 'node:crypto';
import type { Address, ResourceType } from '../../address/address.js';
import { assertSafe, sh, type Sh } from './quote.js';
import { RECORDS_DIR } from '../../host/paths.js';

/** The exact bytes of attrs.json. */
export function attrsJson(attrs: unknown): string {
  return `${JSON.stringify(attrs)}\n`;
}

/** sha256 hex of attrs.json as the host holds it: what the manifest prints for the resource. */
export function attrsDigest(attrs: unknown): string {
  return createHash('sha256').update(attrsJson(attrs), 'utf8').digest('hex');
}

/**
 * Each type's rank in the records' names, in apply order. Frozen: hosts hold records under these
 * names, so a type that came later between two takes a letter (`02w-` sorts after `02-`, before `03-`).
 */
const RECORD_RANK: Record<ResourceType, string> = {
  proxy: '00',
  vswitch: '01',
  vlan: '02',
  wireguard: '02w',
  encap: '03',
  firewall: '04',
  transit: '05',
  vm: '06',
};

export function recordDirName(a: Address): string {
  const rank = Object.hasOwn(RECORD_RANK, a.type) ? RECORD_RANK[a.type] : undefined;
  if (rank === undefined) throw new Error(`unknown resource type: ${String(a.type)}`);
  return `${rank}-${a.type}.${assertSafe('resname', a.name)}`;
}

/** Shell functions shared by the bundle and the manifest script. */
// Its listing: one sha256sum for all records (a process per record made a refresh slow); record folder names
// are tvd's own (recordDirName), without spaces or backslashes.
export const MANIFEST_FN = sh`tvd_manifest() {
  echo '@@tvd manifest-begin'
  set --
  for tvd_d in ${RECORDS_DIR}/*/; do
    if [ -f "\${tvd_d}attrs.json" ] && [ -f "\${tvd_d}address" ]; then set -- "$@" "\${tvd_d}attrs.json"; fi
  done
  # shellcheck disable=SC2034 # the bundle's end reads it: nothing recorded, tvd's folders go
  tvd_records=$#
  if [ $# -gt 0 ]; then
    # From a here-document, not a pipe: a pipe would fork the loop as well.
    tvd_sums=$(sha256sum -- "$@")
    while read -r tvd_sum tvd_f; do
      tvd_a=""
      { read -r tvd_a || :; } <"\${tvd_f%attrs.json}address"
      if [ -n "$tvd_a" ]; then printf '%s %s\\n' "$tvd_a" "$tvd_sum"; fi
    done <<TVD_EOF
$tvd_sums
TVD_EOF
  fi
  echo '@@tvd manifest-end'
}`;

/** Prints the host's manifest block only (tests read a host's records with it; refresh has it in the observation). */
export function renderManifestScript(): Sh {
  return sh`#!/bin/sh
# tvd manifest: what tvd recorded on this host (rendered by tvd)
LC_ALL=C
export LC_ALL
${MANIFEST_FN}
tvd_manifest
`;
}
