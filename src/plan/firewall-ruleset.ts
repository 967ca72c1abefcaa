// The nftables ruleset of a TVD firewall namespace. Stateful: replies to allowed flows pass.
import type { FirewallRule } from './resources.js';

export interface RulesetInput {
  tvd: string;
  subnet: string;
  peers: { tvd: string; subnet: string; ifname: string }[];
  rules: FirewallRule[];
}

function match(r: FirewallRule): string {
  if (!r.proto) return '';
  if (r.proto === 'icmp') return ' meta l4proto icmp';
  return r.port === undefined ? ` meta l4proto ${r.proto}` : ` ${r.proto} dport ${r.port}`;
}

export function firewallRuleset(input: RulesetInput): string {
  const peerOf = new Map(input.peers.map((p) => [p.tvd, p]));
  const lines = [
    `# tvd firewall of TVD ${input.tvd}: managed by tvd, do not edit.`,
    'table inet tvd {',
    '  chain input {',
    '    type filter hook input priority filter; policy drop;',
    '    ct state established,related accept',
    '    iifname "lo" accept',
    `    iifname "lan0" ip saddr ${input.subnet} meta l4proto icmp accept`,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority filter; policy drop;',
    '    ct state invalid drop',
    '    ct state established,related accept',
    `    iifname "lan0" ip saddr != ${input.subnet} drop`,
  ];
  for (const p of input.peers) lines.push(`    iifname "${p.ifname}" ip saddr != ${p.subnet} drop`);
  for (const r of input.rules) {
    const p = peerOf.get(r.peer);
    if (!p) continue;
    const [iif, oif, dst] = r.direction === 'outbound' ? ['lan0', p.ifname, p.subnet] : [p.ifname, 'lan0', input.subnet];
    lines.push(`    iifname "${iif}" oifname "${oif}" ip daddr ${dst}${match(r)} ct state new accept`);
  }
  lines.push('  }', '}', '');
  return lines.join('\n');
}
