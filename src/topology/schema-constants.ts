// The values of the topology format that run-time code needs, apart from the TypeBox builders in
// schema.ts: importing them must not load TypeBox (CLI start-up; see docs/architecture.md).
export const NAME_PATTERN = '^[a-z][a-z0-9-]{0,31}$';
/** Linux interface names: at most 15 characters, nothing a shell or nft would read specially. */
export const IFNAME_PATTERN = '^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$';
export const PROPERTY_PATTERN = '^[a-z][a-z0-9-]{0,63}$';
/** Absolute paths without spaces, quotes or `..` segments. */
export const PATH_PATTERN = '^/(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._+/-]{0,254}$';
export const IPV4_PATTERN = '^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$';
export const CIDR4_PATTERN = IPV4_PATTERN.slice(0, -1) + '/(3[0-2]|[12]?[0-9])$';
const LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
/**
 * Where SSH reaches a host: an IPv4 address or a DNS name (RFC 1123 labels, at most 253
 * characters, and a last label with a letter, so that a mistyped address such as 198.18.0.300
 * is not taken for a name). Neither holds a character a shell or known_hosts reads specially.
 */
export const HOST_ADDRESS_PATTERN = `^(${IPV4_PATTERN.slice(1, -1)}|(?=.{1,253}$)(${LABEL}\\.)*(?=[A-Za-z0-9-]*[A-Za-z])${LABEL})$`;

export const EVIDENCE_KINDS = ['trust', 'mutable-log', 'immutable-log', 'evaluation', 'introspection', 'policy', 'audit'] as const;
export const ENCAPSULATIONS = ['vxlan', 'etherip', 'gretap'] as const;
/**
 * The VNIs of the VXLAN links between firewalls on different hosts, one per transit id: a pinned
 * TVD `vni` must stay out of them, or a host would get two VXLAN devices with one VNI.
 */
export const TRANSIT_VNIS = { min: 1_000_000, max: 1_008_190 } as const;
/** Where the links between TVD firewalls take their /31s unless `defaults.transit` says otherwise. */
export const DEFAULT_TRANSIT_POOL = '198.19.192.0/18';
/** Where the WireGuard tunnels take each host's inner address unless `defaults.wireguard` says otherwise. */
export const DEFAULT_WIREGUARD_POOL = '198.19.176.0/20';

/** A state backend's workspace, and the PostgreSQL schema its table lives in. */
export const WORKSPACE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$';
export const PG_SCHEMA_PATTERN = '^[a-z_][a-z0-9_]{0,62}$';

export const TOPOLOGY_SCHEMA_ID = 'https://tvd.dev/schemas/topology.schema.json';
