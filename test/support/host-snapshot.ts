// What a host looks like to tvd, taken before its first apply and after destroy, which must be
// equal: every link with its details (`ip -o -d link`: flags, MTU, master, addrgenmode, MAC),
// addresses, routes, namespaces, the root nftables ruleset, and recursive listings (name, kind,
// mode, owner, link target, and a digest of each file) of the folders tvd writes to:
//   /etc/xen (with /etc/xen/scripts, /etc/xen/auto, /etc/xen/tvd), /etc/systemd/system (with its
//   .wants folders), /var/lib/tvd, /var/log/tvd (the vif hook's log) and /run/tvd (the probe's
//   per-boot cache: destroy removes it with the last record, see docs/decisions.md).
// Not listed: /run/netns, which `ip netns add` makes (a mount point of iproute2's) and leaves.
import { hostExec } from '../../lab/api.js';

const AREAS = '/etc/xen /etc/systemd/system /var/lib/tvd /var/log/tvd /run/tvd';

// An IPv6 address still in duplicate address detection would read differently a moment later:
// the snapshot waits until none is tentative (a fresh host's eth0 may still be).
const SNAPSHOT = `
i=0
while [ -n "$(ip -6 addr show tentative)" ] && [ "$i" -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
echo '# links'; ip -o -d link show | sort
echo '# addresses'; ip -o addr show | sort
echo '# routes'; ip -4 route show table all | sort; ip -6 route show table all | sort
echo '# netns'; ip netns list | sort
echo '# nft'; nft list ruleset
echo '# files'; find ${AREAS} -printf '%p %y %m %u:%g %l\\n' 2>/dev/null | sort
echo '# contents'; find ${AREAS} -type f -exec sha256sum {} + 2>/dev/null | sort
`;

/**
 * rebooted: for a host that was rebooted in between, whose links were all made again: their
 * index numbers (`2: eth0@if5: ... link-netnsid 0`) are left out, everything else stays.
 */
export async function hostSnapshot(prefix: string, host: string, opts: { rebooted?: boolean } = {}): Promise<string> {
  const r = await hostExec(prefix, host, ['sh', '-c', SNAPSHOT]);
  if (r.code !== 0) throw new Error(`snapshot of ${host} failed: ${r.stderr}`);
  const text = opts.rebooted ? r.stdout.replace(/^\d+: ([^:@ ]+)(@if\d+)?:/gm, '$1:').replace(/ link-netnsid \d+/g, '') : r.stdout;
  return `## ${host}\n${text}`;
}

/** The lines only in `before` (as "- line") and only in `after` ("+ line"): empty when they agree. */
export function snapshotDiff(before: string, after: string): string[] {
  const count = (text: string) => {
    const m = new Map<string, number>();
    for (const l of text.split('\n')) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const [b, a] = [count(before), count(after)];
  const out: string[] = [];
  for (const [l, n] of b) for (let i = a.get(l) ?? 0; i < n; i++) out.push(`- ${l}`);
  for (const [l, n] of a) for (let i = b.get(l) ?? 0; i < n; i++) out.push(`+ ${l}`);
  return out;
}
