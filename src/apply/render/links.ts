// Shell fragments about links that several resource types share. Arguments are already
// checked and quoted (an Sh, see quote.ts), except the names ipBatch and fabricPort take: raw,
// checked there. `ns` is a quoted namespace name, or null for the root one.
import { assertSafe, sh, shBare, shJoin, shQuote, shTrusted, type Sh } from './quote.js';

/** `ip` or `ip -n NS`. */
export function ipIn(ns: Sh | null): Sh {
  return ns === null ? sh`ip` : sh`ip -n ${ns}`;
}

/** A word ip's batch reader takes as it is: it splits lines on blanks and reads quotes and `#` itself. */
const BATCH_WORD = /^[A-Za-z0-9_.:/-]+$/;

/**
 * Several `ip` commands run by one process (`ip -batch`), in order: the first that fails stops
 * the batch and fails the script, as separate commands under `set -e` would. One process where
 * each command cost one (about a millisecond of a Dom0's CPU each, on every apply and boot).
 * Each command is a list of checked words (assertSafe values, not shell-quoted ones); the
 * here-document is quoted, so the shell expands nothing in it. Its lines must stay unindented.
 */
export function ipBatch(ns: Sh | null, commands: readonly (readonly string[])[]): Sh[] {
  const line = (c: readonly string[]): Sh => {
    for (const word of c) {
      if (!BATCH_WORD.test(word)) throw new Error(`refusing to render ${JSON.stringify(word)} into an ip batch`);
    }
    // Checked just above: words ip's batch reader takes as they are, inside a quoted here-document.
    return shTrusted(c.join(' '));
  };
  return [sh`${ipIn(ns)} -batch - <<'TVD_IP'`, ...commands.map(line), sh`TVD_IP`];
}

/**
 * A condition: the link exists. In the root namespace the shell's own test of sysfs answers it
 * (Dom0's /sys is its root namespace's), where `ip` would cost a process per link per apply;
 * in another namespace only `ip -n` can look.
 */
export function linkExists(ns: Sh | null, dev: Sh): Sh {
  return ns === null ? sh`[ -e /sys/class/net/${dev} ]` : sh`${ipIn(ns)} link show dev ${dev} >/dev/null 2>&1`;
}

/**
 * A condition: the link exists and its `ip -d -o link show` line holds every fragment
 * (each a quoted fixed string such as ' vxlan id 5101 '). Used to tell whether a device we
 * made still has the parameters we want, or must be made again. One `ip` and the shell's own
 * `case`, where a grep per fragment cost a process each on every host of every apply.
 */
export function linkMatches(ns: Sh | null, dev: Sh, fragments: readonly Sh[]): Sh {
  const cases = fragments.map((f) => sh`case $tvd_l in *${f}*) ;; *) false ;; esac`);
  return sh`{ tvd_l=$(${ipIn(ns)} -d -o link show dev ${dev} 2>/dev/null) && ${shJoin(cases, ' && ')}; }`;
}

/** Delete the link if it is there. */
export function deleteLink(ns: Sh | null, dev: Sh): Sh[] {
  return [sh`if ${linkExists(ns, dev)}; then`, sh`  ${ipIn(ns)} link del dev ${dev}`, sh`fi`];
}

/**
 * The lines of a listing captured in shell variable `name` (from `$(...)`), to pipe into a
 * `while read` loop: none for an empty listing, where `printf` would give one empty line.
 */
export function replayLines(name: string): Sh {
  const v = shBare(name);
  return sh`if [ -n "$${v}" ]; then printf '%s\\n' "$${v}"; fi`;
}

/**
 * Exactly this one IPv4 address on the link: others are removed, this one added if missing.
 * One listing serves both: the loop never deletes the address the check looks for.
 */
export function exactAddress(ns: Sh | null, dev: Sh, cidr: Sh): Sh[] {
  const ip = ipIn(ns);
  return [
    sh`tvd_a4=$(${ip} -o -4 addr show dev ${dev})`,
    sh`${replayLines('tvd_a4')} | while read -r _ _ _ tvd_a _; do`,
    sh`  if [ "$tvd_a" != ${cidr} ]; then ${ip} addr del "$tvd_a" dev ${dev}; fi`,
    sh`done`,
    sh`case $tvd_a4 in *" inet "${cidr}" "*) ;; *) ${ip} addr add ${cidr} dev ${dev} ;; esac`,
  ];
}

/**
 * A fabric port (a tunnel or VLAN device) of a TVD's bridge: made again (`add`) when it is
 * missing or its settings differ from `want`, then attached (with `mtu`, when given),
 * isolated and brought up.
 */
export function fabricPort(name: string, want: readonly Sh[], add: Sh, mtu: number | undefined, bridge: string): Sh[] {
  const [dev, br] = [assertSafe('ifname', name), assertSafe('ifname', bridge)];
  return [
    sh`if ! ${linkMatches(null, shQuote(dev), want)}; then`,
    ...indent(deleteLink(null, shQuote(dev))),
    sh`  ${add}`,
    sh`fi`,
    ...ipBatch(null, [
      // Before it is up: an IPv6 link-local address would be made at once.
      ['link', 'set', 'dev', dev, 'addrgenmode', 'none'],
      ['link', 'set', 'dev', dev, ...(mtu === undefined ? [] : ['mtu', assertSafe('int', mtu)]), 'master', br],
      ...isolatedUp(dev),
    ]),
  ];
}

/**
 * A fabric port's last steps, once it is on its bridge (batch commands, for ipBatch): isolated,
 * then up. Fabric ports never forward to each other: with VLAN and VXLAN on one bridge a frame
 * would otherwise reach a host twice (a full mesh needs split horizon).
 */
export function isolatedUp(dev: string): string[][] {
  return [
    ['link', 'set', 'dev', dev, 'type', 'bridge_slave', 'isolated', 'on'],
    ['link', 'set', 'dev', dev, 'up'],
  ];
}

/** Lines one level deeper (two spaces), inside an `if` or a loop. */
export function indent(lines: readonly Sh[]): Sh[] {
  return lines.map((l) => sh`  ${l}`);
}
