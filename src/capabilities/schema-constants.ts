// The values of the capability model that run-time code needs, apart from the TypeBox builder in
// schema.ts: importing them must not load TypeBox (CLI start-up; see docs/architecture.md).
export const CAPABILITIES_SCHEMA_ID = 'https://tvd.dev/schemas/capabilities.schema.json';
export const MECHANISMS = ['bridge', 'vlan', 'vxlan', 'gretap', 'etherip', 'nftables'] as const;
/** Where a FORWARD drop policy that bridged frames meet was read (probe-script.ts). */
export const FORWARD_SOURCES = ['nft', 'iptables-legacy', 'ip6tables-legacy', 'iptables-nft', 'ip6tables-nft', 'iptables', 'ip6tables'] as const;
export const NETFILTER_FAMILIES = ['ip', 'ip6', 'inet'] as const;
