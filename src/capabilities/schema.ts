// The capability model of a host: the one source of schemas/capabilities.schema.json and its type.
import { Type, type Static } from '@sinclair/typebox';
import { EvidenceKind } from '../topology/schema.js';
import { NAME_PATTERN, IFNAME_PATTERN } from '../topology/schema-constants.js';
import { CAPABILITIES_SCHEMA_ID, FORWARD_SOURCES, type MECHANISMS, NETFILTER_FAMILIES, WIREGUARD_KEY_PATTERN } from './schema-constants.js';

// Only the build and tests load this module; the CLI uses the validator generated from it and
// schema-constants.ts (see src/topology/schema.ts).

export const Capabilities = Type.Object(
  {
    host: Type.String({ pattern: NAME_PATTERN, description: 'The host, as named in the topology.' }),
    collectedAt: Type.String({ description: 'When the probe ran (RFC 3339).', examples: ['2026-11-26T10:00:00Z'] }),
    functional: Type.Array(Type.Union([Type.Literal('vlan'), Type.Literal('ethernet'), Type.Literal('ip')]), {
      uniqueItems: true,
      description: "The paper's C : H -> {VLAN, Ethernet, IP}.",
    }),
    mechanisms: Type.Object(
      {
        bridge: Type.Boolean(),
        vlan: Type.Boolean(),
        vxlan: Type.Boolean(),
        gretap: Type.Boolean(),
        etherip: Type.Boolean(),
        nftables: Type.Boolean(),
        wireguard: Type.Optional(
          Type.Boolean({
            description: 'WireGuard in the Dom0 kernel (a throwaway link of type wireguard), with `wg` (wireguard-tools). Absent: no.',
          }),
        ),
        'wireguard-go': Type.Optional(
          Type.Boolean({
            description:
              'WireGuard in user space: `wireguard-go` and `wg` are installed. Slower than the kernel module, used only where the kernel has none. Absent: no.',
          }),
        ),
      },
      { additionalProperties: false, description: 'What the Dom0 kernel and tools offer.' },
    ),
    uplinks: Type.Record(
      Type.String({ pattern: IFNAME_PATTERN }),
      Type.Object(
        {
          mtu: Type.Integer({ minimum: 68, maximum: 65535 }),
          address: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
      { description: 'NICs with their MTU and IPv4 address.' },
    ),
    xen: Type.Object(
      {
        version: Type.String(),
        toolstack: Type.String(),
        hypervisorBinary: Type.Optional(
          Type.String({
            description: 'The file whose sha256 is the hypervisor-integrity property (see src/capabilities/probe-script.ts).',
          }),
        ),
      },
      { additionalProperties: true, description: 'From `xl info`.' },
    ),
    bridgeNetfilter: Type.Optional(
      Type.Object(
        {
          callIptables: Type.Boolean({ description: 'net.bridge.bridge-nf-call-iptables: bridged IPv4 frames pass the IPv4 hooks.' }),
          callIp6tables: Type.Boolean({ description: 'net.bridge.bridge-nf-call-ip6tables: the same for IPv6.' }),
          callArptables: Type.Boolean({ description: 'net.bridge.bridge-nf-call-arptables: bridged ARP passes arptables.' }),
          forwardDrops: Type.Array(
            Type.Object(
              {
                family: Type.Union(NETFILTER_FAMILIES.map((f) => Type.Literal(f))),
                source: Type.Union(
                  FORWARD_SOURCES.map((f) => Type.Literal(f)),
                  { description: 'What it was read with: nft, or an iptables variant.' },
                ),
                table: Type.String(),
                chain: Type.String(),
                acceptsTvd: Type.Boolean({ description: "Its table has a rule that accepts tvd's bridges (tvd-*) or bridged frames." }),
              },
              { additionalProperties: false },
            ),
            { description: 'Chains on the forward hook whose policy is drop; read only when a call-* setting is on.' },
          ),
        },
        {
          additionalProperties: false,
          description:
            "br_netfilter in Dom0 (absent when it is not loaded): with a call-* setting on, frames tvd's bridges forward meet the host's FORWARD policy.",
        },
      ),
    ),
    wireguardKey: Type.Optional(
      Type.Object(
        {
          generation: Type.Integer({ minimum: 1, description: 'hosts.<name>.keyGeneration of the key.' }),
          publicKey: Type.String({
            pattern: WIREGUARD_KEY_PATTERN,
            description: 'The public half; the private key never leaves the host.',
          }),
        },
        {
          additionalProperties: false,
          description:
            "The host's WireGuard public key, read by the refresh of a plan that needs one (the refresh makes the key on first need).",
        },
      ),
    ),
    properties: Type.Record(
      Type.String(),
      Type.Object(
        {
          value: Type.Union([Type.Boolean(), Type.String(), Type.Number(), Type.Array(Type.String())]),
          evidence: EvidenceKind,
        },
        { additionalProperties: false },
      ),
      { description: 'Security properties with the kind of evidence behind each (paper, Tables 1 and 2).' },
    ),
  },
  {
    $id: CAPABILITIES_SCHEMA_ID,
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'tvd host capability model',
    additionalProperties: false,
  },
);

export type Capabilities = Static<typeof Capabilities>;
export type Mechanism = (typeof MECHANISMS)[number];
