// A Dom0 trap tvd cannot see from the bridges alone: where br_netfilter is loaded and
// net.bridge.bridge-nf-call-iptables=1, every frame a bridge forwards also passes the IPv4
// FORWARD hook, so a FORWARD policy of drop (Docker sets one) silently drops the traffic of
// tvd's bridges. tvd does not change a host-wide sysctl or another tool's firewall (see
// docs/decisions.md); the plan says which host, why, and the fix. Pure.
import type { Capabilities } from '../capabilities/schema.js';

type ForwardDrop = NonNullable<Capabilities['bridgeNetfilter']>['forwardDrops'][number];

const IP = {
  v4: { sysctl: 'net.bridge.bridge-nf-call-iptables', tool: 'iptables', families: ['ip', 'inet'] },
  v6: { sysctl: 'net.bridge.bridge-nf-call-ip6tables', tool: 'ip6tables', families: ['ip6', 'inet'] },
} as const;

/** iptables' own FORWARD (legacy, or iptables-nft's table) reads as iptables; other chains by name. */
function isIptables(d: ForwardDrop): boolean {
  return d.table === 'filter' && d.chain === 'FORWARD' && d.family !== 'inet';
}

function describe(d: ForwardDrop, tool: string): string {
  return isIptables(d)
    ? `the ${tool} FORWARD policy is DROP`
    : `the nftables chain ${d.family} ${d.table} ${d.chain} (hook forward) has policy drop`;
}

/** One warning per host and IP version where the trap is set; `hosts` are those with a TVD bridge. */
export function bridgeNetfilterWarnings(hosts: string[], capabilities: Record<string, Capabilities>): string[] {
  const warnings: string[] = [];
  for (const h of hosts) {
    const bn = capabilities[h]?.bridgeNetfilter;
    if (!bn) continue;
    for (const [v, on] of [
      ['v4', bn.callIptables],
      ['v6', bn.callIp6tables],
    ] as const) {
      const ip = IP[v];
      const drops = bn.forwardDrops.filter((d) => (ip.families as readonly string[]).includes(d.family) && !d.acceptsTvd);
      if (!on || drops.length === 0) continue;
      const where = drops.every(isIptables) ? 'FORWARD' : 'those chains';
      warnings.push(
        `host ${h}: ${ip.sysctl}=1 and ${[...new Set(drops.map((d) => describe(d, ip.tool)))].join(' and ')}: bridged TVD frames are dropped; ` +
          `run sysctl -w ${ip.sysctl}=0 or accept tvd's bridges (tvd-*) in ${where}`,
      );
    }
  }
  return warnings;
}
