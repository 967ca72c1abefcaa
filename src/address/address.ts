// Resource addresses: `host/type/name`, the one vocabulary of plan, apply, destroy and verify,
// and their partial forms, `host` and `host/type`, with which --target and `tvd state rm` name
// a host's resources or those of one type. addressKey prints an address; one grammar reads both
// forms (parseAddress, parsePartialAddress), and matchesAddress tells whether a partial form
// names an address. Nothing else splits or joins addresses by hand. Pure.

/** In the order a host applies them; destroy runs the reverse. */
export const RESOURCE_TYPES = ['proxy', 'vswitch', 'vlan', 'wireguard', 'encap', 'firewall', 'transit', 'vm'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface Address {
  host: string;
  type: ResourceType;
  name: string;
}

/** A host (`h1`), a host and a type (`h1/vm`), or one address (`h1/vm/web`): a target. */
export interface PartialAddress {
  host: string;
  type?: ResourceType;
  name?: string;
}

export function isResourceType(text: unknown): text is ResourceType {
  return (RESOURCE_TYPES as readonly unknown[]).includes(text);
}

export function addressKey(a: Address): string {
  return `${a.host}/${a.type}/${a.name}`;
}

/** The address of a planned action (`{host, resource: {type, name}}`, the plan JSON's shape). */
export function actionAddress(a: { host: string; resource: { type: ResourceType; name: string } }): string {
  return addressKey({ host: a.host, type: a.resource.type, name: a.resource.name });
}

/** A host's name, as the topology spells it (NAME_PATTERN in src/topology/schema-constants.ts). */
const HOST = /^[a-z][a-z0-9-]{0,31}$/;
/** A resource's name: a topology name, or two joined (a transit's `web--db`); render checks the same (`resname`). */
const NAME = /^[a-z][a-z0-9-]{0,79}$/;

const FORMS = {
  partial: { noun: 'a target', give: 'a host (h1), a host and a type (h1/vm) or an address (h1/vm/web)' },
  full: { noun: 'a resource address', give: 'host/type/name (h1/vm/web)' },
} as const;

/** The one reader of both forms: the address the text names, or why it names none. */
function readAddress(text: string, form: keyof typeof FORMS): PartialAddress | { error: string } {
  const parts = text.split('/');
  const [host, type, name] = parts;
  const { noun, give } = FORMS[form];
  const complete = form === 'partial' || parts.length === 3;
  if (parts.length > 3 || !complete || !HOST.test(host) || type === '' || (name !== undefined && !NAME.test(name))) {
    return { error: `${JSON.stringify(text)} is not ${noun}: give ${give}` };
  }
  if (type !== undefined && !isResourceType(type)) {
    return { error: `${JSON.stringify(text)} is not ${noun}: ${type} is not a resource type (${RESOURCE_TYPES.join(', ')})` };
  }
  return { host, ...(type ? { type } : {}), ...(name ? { name } : {}) };
}

/** A full address (`h1/vm/web`), as tvd prints it (addressKey); anything else throws, naming the text. */
export function parseAddress(text: string): Address {
  const a = readAddress(text, 'full');
  if ('error' in a) throw new Error(a.error);
  // Cannot happen (the full form asks for all three parts); it narrows the type.
  if (a.type === undefined || a.name === undefined) throw new Error(`${JSON.stringify(text)} is not a resource address`);
  return { host: a.host, type: a.type, name: a.name };
}

/** A target as the user wrote it (`h1`, `h1/vm`, `h1/vm/web`), or why it is not one. */
export function parsePartialAddress(text: string): PartialAddress | { error: string } {
  return readAddress(text, 'partial');
}

/** Whether the partial address names this address: the same host, and the type and name where it gives them. */
export function matchesAddress(partial: PartialAddress, a: Address): boolean {
  return (
    a.host === partial.host &&
    (partial.type === undefined || a.type === partial.type) &&
    (partial.name === undefined || a.name === partial.name)
  );
}

const typeRank = new Map<string, number>(RESOURCE_TYPES.map((t, i) => [t, i]));

/**
 * Host, then apply order of the type, then name: the stable order of plans and states. Plans
 * compare millions of addresses at 10,000 hosts (sorting, and the diff's merge): the type's rank
 * is looked up only when the types differ.
 */
export function compareAddresses(a: Address, b: Address): number {
  if (a.host !== b.host) return a.host < b.host ? -1 : 1;
  if (a.type !== b.type) {
    const r = (typeRank.get(a.type) ?? 99) - (typeRank.get(b.type) ?? 99);
    if (r !== 0) return r;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
