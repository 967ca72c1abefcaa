// The values of the capability model that run-time code needs, apart from the TypeBox builder in
// schema.ts: importing them must not load TypeBox (CLI start-up; see docs/architecture.md).
export const CAPABILITIES_SCHEMA_ID = 'https://tvd.dev/schemas/capabilities.schema.json';
export const MECHANISMS = ['bridge', 'vlan', 'vxlan', 'gretap', 'etherip', 'nftables'] as const;
