// The values of the capability model that run-time code needs, apart from the TypeBox builder in
// schema.ts: importing them must not load TypeBox (CLI start-up; see docs/architecture.md).
export const CAPABILITIES_SCHEMA_ID = 'https://tvd.dev/schemas/capabilities.schema.json';
export const MECHANISMS = ['bridge', 'vlan', 'vxlan', 'gretap', 'etherip', 'nftables'] as const;
/** Where a FORWARD drop policy that bridged frames meet was read (probe-script.ts). */
export const FORWARD_SOURCES = [
  'nft',
  'iptables-legacy',
  'ip6tables-legacy',
  'iptables-nft',
  'ip6tables-nft',
  'iptables',
  'ip6tables',
] as const;
export const NETFILTER_FAMILIES = ['ip', 'ip6', 'inet'] as const;
/** The two ways a Dom0 can run WireGuard: optional in the model (older files lack them), so apart from MECHANISMS. */
export const WIREGUARD_MECHANISMS = ['wireguard', 'wireguard-go'] as const;
/** A WireGuard key as `wg` prints it: 32 bytes in base64. */
export const WIREGUARD_KEY_PATTERN = '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$';
