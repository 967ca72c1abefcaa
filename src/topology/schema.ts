// The topology format, version 1: the one source of both the JSON Schema
// (schemas/topology.schema.json, written by scripts/write-schemas.ts) and the TypeScript types.
import { Type, type Static } from '@sinclair/typebox';
import {
  NAME_PATTERN,
  IFNAME_PATTERN,
  PROPERTY_PATTERN,
  PATH_PATTERN,
  IPV4_PATTERN as IPV4,
  HOST_ADDRESS_PATTERN,
  CIDR4_PATTERN as CIDR4,
  EVIDENCE_KINDS,
  ENCAPSULATIONS,
  TOPOLOGY_SCHEMA_ID,
  TRANSIT_VNIS,
  DEFAULT_WIREGUARD_POOL,
  WORKSPACE_PATTERN,
  PG_SCHEMA_PATTERN,
} from './schema-constants.js';

// Only the build (scripts/) and tests load this module: the CLI checks documents with the
// validators generated from it (scripts/write-validators.ts) and takes its constants from
// schema-constants.ts, so that it starts without TypeBox.

// Records (tvds, hosts, vms, requires, dedicated, claims) say `additionalProperties: false`:
// TypeBox emits only `patternProperties`, which would let a key that breaks the pattern through.

const Name = (description: string, examples: string[]) => Type.String({ pattern: NAME_PATTERN, description, examples });
const lit = <const T extends string>(values: readonly T[], description: string, examples?: T[]) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    examples ? { description, examples } : { description },
  );

export const EvidenceKind = lit(
  EVIDENCE_KINDS,
  'A kind of evidence (the TVD paper, Table 2): trust, mutable-log, immutable-log (e.g. a TPM quote), evaluation, introspection, policy, audit.',
  ['audit'],
);

export const Defaults = Type.Object(
  {
    flow: Type.Optional(lit(['open', 'closed'], 'Connection between two TVDs that no flow names. Default: closed.', ['closed'])),
    encapsulation: Type.Optional(lit(ENCAPSULATIONS, 'How a TVD crosses hosts that cannot share a VLAN. Default: vxlan.', ['vxlan'])),
    transit: Type.Optional(
      Type.String({
        pattern: CIDR4,
        description: 'Where the point-to-point links between TVD firewalls take their /31s. Default: 198.19.192.0/18.',
        examples: ['198.19.192.0/18'],
      }),
    ),
    wireguard: Type.Optional(
      Type.String({
        pattern: CIDR4,
        description: `Where the WireGuard tunnels of confidential TVDs take each host's inner address (one per host; the TVDs' VXLAN runs between them). Default: ${DEFAULT_WIREGUARD_POOL}.`,
        examples: [DEFAULT_WIREGUARD_POOL],
      }),
    ),
  },
  { additionalProperties: false, description: 'Defaults for the whole topology.', examples: [{ flow: 'closed', encapsulation: 'vxlan' }] },
);

export const Membership = Type.Object(
  {
    check: Type.Optional(
      lit(['one-time', 'continual'], 'When requirements are evaluated: once at apply, or also by every `tvd verify`. Default: one-time.', [
        'continual',
      ]),
    ),
    interval: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,5}[smh]$', description: 'How often `tvd verify --watch` re-checks.', examples: ['10m'] }),
    ),
    onFailure: Type.Optional(
      lit(
        ['warn', 'isolate'],
        'What the next apply does to a host that fails a requirement: only warn, or cut it off the TVD. Default: warn.',
        ['isolate'],
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'How membership requirements are enforced over time.',
    examples: [{ check: 'continual', interval: '10m' }],
  },
);

const Accepted = Type.Union([Type.Literal('any'), Type.Array(EvidenceKind, { minItems: 1, uniqueItems: true })], {
  description: 'The evidence kinds accepted for a property, or `any`.',
  examples: [['immutable-log', 'evaluation'], 'any'],
});
const PropertyValue = Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]);

/** The long form: accepted evidence, and the value(s) the property must have (e.g. a known-good digest). */
export const PinnedRequirement = Type.Object(
  {
    evidence: Accepted,
    value: Type.Optional(
      Type.Union([PropertyValue, Type.Array(PropertyValue, { minItems: 1, maxItems: 64 })], {
        description: 'The value the property must have, or a list of accepted values (e.g. during a rollout).',
        examples: ['sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
      }),
    ),
  },
  { additionalProperties: false, description: 'Accepted evidence and, optionally, the value(s) the property must have.' },
);

// Flat, so that schema messages can tell the forms apart by the data's type.
export const Requirement = Type.Union(
  [Type.Literal('any'), Type.Array(EvidenceKind, { minItems: 1, uniqueItems: true }), PinnedRequirement],
  {
    description: 'The evidence kinds accepted for a property, or `any`; or {evidence, value} to also pin its value.',
    examples: [['immutable-log', 'evaluation'], 'any', { evidence: ['mutable-log'], value: 'sha256:…' }],
  },
);

export const Tvd = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 200, description: 'Free text.', examples: ['Payroll and ledgers'] })),
    isolation: Type.Optional(
      lit(
        ['required', 'none'],
        'Whether the TVD must be isolated across hosts (none: one TVD per segment may use the uplink untagged). Default: required.',
        ['required'],
      ),
    ),
    confidentiality: Type.Optional(
      lit(
        ['required', 'none'],
        "required: every frame of this TVD that leaves a host is encrypted and authenticated (VXLAN inside WireGuard between the two hosts' Dom0s; every link between hosts counts as untrusted, so no VLAN or dedicated NIC carries it). Default: none.",
        ['required'],
      ),
    ),
    vlan: Type.Optional(Type.Integer({ minimum: 2, maximum: 4094, description: 'Pinned 802.1Q id.', examples: [101] })),
    vni: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 16777215,
        description: `Pinned encapsulation id, unique; ${TRANSIT_VNIS.min}..${TRANSIT_VNIS.max} are kept for the links between firewalls.`,
        examples: [5101],
      }),
    ),
    subnet: Type.Optional(Type.String({ pattern: CIDR4, description: "The TVD's IPv4 range.", examples: ['198.19.1.0/24'] })),
    gateway: Type.Optional(
      Type.String({
        pattern: IPV4,
        description: "The TVD firewall's address. Default: the subnet's first host address.",
        examples: ['198.19.1.1'],
      }),
    ),
    firewall: Type.Optional(Name("The host whose Dom0 runs this TVD's firewall.", ['host-a'])),
    requires: Type.Optional(
      Type.Record(Type.String({ pattern: PROPERTY_PATTERN }), Requirement, {
        additionalProperties: false,
        description: 'Membership requirements: property -> accepted evidence kinds.',
        examples: [{ 'hypervisor-integrity': ['immutable-log', 'evaluation'], 'storage-encryption': 'any' }],
      }),
    ),
    membership: Type.Optional(Membership),
  },
  {
    additionalProperties: false,
    description: 'A Trusted Virtual Domain.',
    examples: [{ description: 'Payroll and ledgers', subnet: '198.19.1.0/24' }],
  },
);

export const AllowRule = Type.Object(
  {
    proto: lit(['tcp', 'udp', 'icmp'], 'The protocol allowed.', ['tcp']),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Destination port (tcp and udp only).', examples: [443] })),
  },
  {
    additionalProperties: false,
    description: 'One kind of flow a controlled connection forwards.',
    examples: [{ proto: 'tcp', port: 443 }, { proto: 'icmp' }],
  },
);

export const Flow = Type.Object(
  {
    from: Type.Optional(Name('The TVD that may open connections (directional form).', ['finance'])),
    to: Type.Optional(Name('The TVD that receives them.', ['hr'])),
    between: Type.Optional(
      Type.Array(Name('A TVD.', ['dev']), {
        minItems: 2,
        maxItems: 2,
        description: 'Symmetric form: both directions.',
        examples: [['dev', 'test']],
      }),
    ),
    connection: lit(['open', 'closed', 'controlled'], 'open forwards all, closed nothing, controlled only `allow`.', ['controlled']),
    allow: Type.Optional(
      Type.Array(AllowRule, {
        description: 'For controlled connections: the flows forwarded (replies pass back).',
        examples: [[{ proto: 'tcp', port: 443 }, { proto: 'icmp' }]],
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'An entry of the information-flow control matrix.',
    examples: [
      { from: 'finance', to: 'hr', connection: 'controlled', allow: [{ proto: 'tcp', port: 443 }] },
      { between: ['dev', 'test'], connection: 'open' },
    ],
  },
);

export const Claim = Type.Object(
  {
    value: Type.Union([Type.Boolean(), Type.String({ maxLength: 200 }), Type.Number()], {
      description: 'The claimed value.',
      examples: [true],
    }),
    evidence: Type.Optional(EvidenceKind),
    note: Type.Optional(
      Type.String({ maxLength: 200, description: 'Free text, e.g. where the evidence is.', examples: ['audit 2026-10'] }),
    ),
  },
  {
    additionalProperties: false,
    description: 'A property the operator vouches for.',
    examples: [{ value: true, evidence: 'audit', note: 'audit 2026-10' }],
  },
);

const Ifname = (description: string) => Type.String({ pattern: IFNAME_PATTERN, description, examples: ['eth0'] });

export const Host = Type.Object(
  {
    address: Type.String({
      pattern: HOST_ADDRESS_PATTERN,
      description: 'Where SSH reaches its Dom0: an IPv4 address or a DNS name.',
      examples: ['198.18.0.11', 'dom0-a.example.net'],
    }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'SSH port. Default: 22.', examples: [22] })),
    user: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_-]{0,31}$', description: 'SSH user. Default: root.', examples: ['root'] })),
    uplink: Ifname('The Dom0 NIC that carries TVD traffic to other hosts.'),
    segment: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
        description: 'Hosts with one segment share an L2 network (and may use VLANs).',
        examples: ['rack-1'],
      }),
    ),
    dedicated: Type.Optional(
      Type.Record(Type.String({ pattern: NAME_PATTERN }), Ifname('A NIC that belongs to this TVD alone.'), {
        additionalProperties: false,
        description: 'TVD -> a NIC that physically belongs to that TVD alone.',
        examples: [{ finance: 'eth1' }],
      }),
    ),
    keyGeneration: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 999999,
        description:
          "The generation of this host's WireGuard key (confidential TVDs). Raise it to rotate the key: the next plan's refresh makes a new key on the host, and the plan updates the tunnels of this host and of its peers. Default: 1.",
        examples: [2],
      }),
    ),
    claims: Type.Optional(
      Type.Record(Type.String({ pattern: PROPERTY_PATTERN }), Claim, {
        additionalProperties: false,
        description: 'Properties the operator vouches for (evidence `trust` unless said otherwise).',
        examples: [{ 'storage-encryption': { value: true, evidence: 'audit', note: 'audit 2026-10' } }],
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'A physical Xen host, reached over SSH.',
    examples: [{ address: '198.18.0.11', uplink: 'eth0', segment: 'rack-1' }],
  },
);

export const Nic = Type.Object(
  {
    tvd: Name('The TVD whose vSwitch this NIC joins.', ['finance']),
    mac: Type.Optional(
      Type.String({
        pattern: '^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$',
        description: 'Unicast MAC. Default: derived from names.',
        examples: ['00:16:3e:00:01:10'],
      }),
    ),
    ip: Type.Optional(Type.String({ pattern: IPV4, description: "An address in the TVD's subnet.", examples: ['198.19.1.10'] })),
  },
  { additionalProperties: false, description: "A VM's virtual NIC." },
);

export const Vm = Type.Object(
  {
    host: Name('The host that runs it.', ['host-a']),
    type: Type.Optional(lit(['pv', 'pvh', 'hvm'], 'Xen guest type. Default: pvh.', ['pvh'])),
    memory: Type.Integer({ minimum: 16, maximum: 16777216, description: 'MiB.', examples: [1024] }),
    vcpus: Type.Optional(Type.Integer({ minimum: 1, maximum: 512, description: 'Virtual CPUs. Default: 1.', examples: [2] })),
    kernel: Type.Optional(
      Type.String({ pattern: PATH_PATTERN, description: 'Guest kernel (pv, pvh).', examples: ['/boot/vmlinuz-guest'] }),
    ),
    ramdisk: Type.Optional(
      Type.String({
        pattern: PATH_PATTERN,
        description: "The guest kernel's initial ramdisk (pv, pvh): xl.cfg's ramdisk.",
        examples: ['/boot/initrd.img-guest'],
      }),
    ),
    disk: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z0-9:/._+=-]+(,[A-Za-z0-9:/._+=-]*)*$', maxLength: 256 }), {
        description: 'xl disk specs.',
        examples: [['phy:/dev/vg0/payroll,xvda,w']],
      }),
    ),
    allowDiskScripts: Type.Optional(
      Type.Boolean({
        description:
          "Let this VM's disk specs name a program (script=, or the old prefixes iscsi:, nbd:, enbd:, drbd:), which xl runs as root in Dom0 when the disk attaches. Default: false.",
        examples: [true],
      }),
    ),
    start: Type.Optional(
      Type.Boolean({ description: 'Keep it running (xl create), not only its config. Default: false.', examples: [true] }),
    ),
    nics: Type.Array(Nic, {
      maxItems: 64,
      description: 'One NIC per TVD membership.',
      examples: [[{ tvd: 'finance', ip: '198.19.1.10' }]],
    }),
  },
  {
    additionalProperties: false,
    description: 'A guest domain.',
    examples: [{ host: 'host-a', memory: 1024, start: true, nics: [{ tvd: 'finance', ip: '198.19.1.10' }] }],
  },
);

export const Backend = Type.Object(
  {
    type: lit(['local', 'postgres'], 'Where the state is kept: the local file (default) or a PostgreSQL database that a team shares.', [
      'postgres',
    ]),
    path: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        description: 'local: the state file, relative to the working folder; --state overrides it. Default: .tvd/state.json.',
        examples: ['.tvd/state.json'],
      }),
    ),
    url: Type.Optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        maxLength: 2048,
        description:
          'postgres: the database, as a postgres:// URL without a password (tvd refuses one here: give it in PGPASSWORD or ~/.pgpass). --backend and PG_CONN_STR override it.',
        examples: ['postgres://tvd@db.internal:5432/tvd'],
      }),
    ),
    schema: Type.Optional(
      Type.String({
        pattern: PG_SCHEMA_PATTERN,
        description: 'postgres: the schema that holds the states table; PG_SCHEMA_NAME overrides it. Default: tvd.',
        examples: ['tvd'],
      }),
    ),
    workspace: Type.Optional(
      Type.String({
        pattern: WORKSPACE_PATTERN,
        description: 'postgres: which of the states in the database; --workspace and TVD_WORKSPACE override it. Default: default.',
        examples: ['production'],
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Where the state is kept and locked, as a Terraform backend: it changes nothing on the hosts.',
    examples: [{ type: 'postgres', url: 'postgres://tvd@db.internal:5432/tvd', workspace: 'production' }],
  },
);

export const Topology = Type.Object(
  {
    $schema: Type.Optional(
      Type.String({
        description: 'Where editors find this schema (a YAML modeline comment does the same).',
        examples: ['./topology.schema.json'],
      }),
    ),
    version: Type.Literal(1, { description: 'Format version; 1.', examples: [1] }),
    defaults: Type.Optional(Defaults),
    tvds: Type.Record(Type.String({ pattern: NAME_PATTERN }), Tvd, {
      additionalProperties: false,
      description: 'The TVDs, by name: each a set of VMs that share one isolated virtual network and one policy.',
      examples: [{ finance: { subnet: '198.19.1.0/24' }, hr: { subnet: '198.19.2.0/24' } }],
    }),
    flows: Type.Optional(
      Type.Array(Flow, {
        description: 'The flow matrix, as exceptions to defaults.flow.',
        examples: [[{ from: 'finance', to: 'hr', connection: 'controlled', allow: [{ proto: 'tcp', port: 443 }] }]],
      }),
    ),
    hosts: Type.Optional(
      Type.Record(Type.String({ pattern: NAME_PATTERN }), Host, {
        additionalProperties: false,
        description: 'The Xen hosts, by name.',
        examples: [{ 'host-a': { address: '198.18.0.11', uplink: 'eth0' } }],
      }),
    ),
    vms: Type.Optional(
      Type.Record(Type.String({ pattern: NAME_PATTERN }), Vm, {
        additionalProperties: false,
        description: 'The VMs, by name.',
        examples: [{ payroll: { host: 'host-a', memory: 1024, nics: [{ tvd: 'finance' }] } }],
      }),
    ),
    backend: Type.Optional(Backend),
  },
  {
    $id: TOPOLOGY_SCHEMA_ID,
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'tvd topology',
    additionalProperties: false,
    description: 'TVDs, the flows between them, the Xen hosts and the VMs.',
  },
);

export type Topology = Static<typeof Topology>;
export type TvdSpec = Static<typeof Tvd>;
export type FlowSpec = Static<typeof Flow>;
export type AllowRule = Static<typeof AllowRule>;
export type HostSpec = Static<typeof Host>;
export type VmSpec = Static<typeof Vm>;
export type BackendSpecBlock = Static<typeof Backend>;
export type NicSpec = Static<typeof Nic>;
export type Requirement = Static<typeof Requirement>;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export type Encapsulation = (typeof ENCAPSULATIONS)[number];
