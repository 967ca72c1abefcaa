// Records a host holds that the state lacks: steps a host finished after tvd lost it (a cut
// link, a killed tvd). Refresh adopts them, so that plan shows them and apply either keeps
// them (and the state learns them) or removes them: hosts and state never stay apart.
import type { State, StateResource } from '../state/state.js';
import type { HostConnection } from '../ssh/session.js';
import type { Drift } from '../plan/diff.js';
import type { HostReading } from './read-hosts.js';
import { addressKey, matchesAddress, parseAddress } from '../address/address.js';
import { recordDirName } from '../apply/render/host-record.js';
import { RECORDS_DIR } from '../host/paths.js';
import { sh, shJoin, shQuote, type Sh } from '../shell/quote.js';
import { HostError } from '../ssh/host-error.js';
import { busyHolder, busyMessage, DEFAULT_HOST_LOCK_WAIT_S, sharedLockScript } from '../host/host-lock.js';

/** Whether a manifest's key is an address on this host; a key tvd did not write (a damaged manifest) is not. */
function isAddressOn(host: string, key: string): boolean {
  try {
    return matchesAddress({ host }, parseAddress(key));
  } catch {
    return false;
  }
}

/** Per host, the addresses of that host its manifest lists and the state does not. Pure. */
export function orphanAddresses(state: State, readings: HostReading[]): Map<string, string[]> {
  const known = new Set(state.resources.map((r) => addressKey(r)));
  const out = new Map<string, string[]>();
  for (const r of readings) {
    const orphans = [...(r.manifest?.keys() ?? [])].filter((a) => !known.has(a) && isAddressOn(r.host, a)).sort();
    if (orphans.length) out.set(r.host, orphans);
  }
  return out;
}

/** The script that prints `<address> <attrs.json>` for each record. Addresses are checked names. */
export function orphanScript(addresses: string[]): Sh {
  const lines = addresses.map(
    (a) => sh`printf '%s ' ${shQuote(a)}; cat ${shQuote(`${RECORDS_DIR}/${recordDirName(parseAddress(a))}/attrs.json`)}`,
  );
  return shJoin([sh`#!/bin/sh`, sh`set -u`, ...lines, sh``]);
}

export function parseOrphans(stdout: string): StateResource[] {
  const out: StateResource[] = [];
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    try {
      const address = parseAddress(line.slice(0, space));
      out.push({ ...address, attrs: JSON.parse(line.slice(space + 1)), status: 'applied' });
    } catch {
      /* a record cut in half is no record: its attrs.json is written last */
    }
  }
  return out;
}

export async function readOrphans(
  conn: HostConnection,
  addresses: string[],
  hostLockWait = DEFAULT_HOST_LOCK_WAIT_S,
): Promise<StateResource[]> {
  const r = await conn.exec(sh`sh -s`, { stdin: shJoin([sharedLockScript({ waitSeconds: hostLockWait }), orphanScript(addresses)], '') });
  const busy = busyHolder(r.stdout);
  if (busy !== undefined) throw new HostError(conn.host, conn.endpoint, busyMessage(busy, hostLockWait));
  return parseOrphans(r.stdout);
}

export function adoptionDrift(adopted: StateResource[]): Drift[] {
  return adopted.map((r) => ({
    address: addressKey(r),
    kind: 'adopted',
    detail: 'the host recorded it but the state did not (an apply was cut off); adopted',
  }));
}
