// Resource addresses: `host/type/name`, the one vocabulary of plan, apply, destroy and verify.

/** In the order a host applies them; destroy runs the reverse. */
export const RESOURCE_TYPES = ['proxy', 'vswitch', 'vlan', 'wireguard', 'encap', 'firewall', 'transit', 'vm'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface Address {
  host: string;
  type: ResourceType;
  name: string;
}

export function addressKey(a: Address): string {
  return `${a.host}/${a.type}/${a.name}`;
}

/** The address of a planned action (`{host, resource: {type, name}}`, the plan JSON's shape). */
export function actionAddress(a: { host: string; resource: { type: ResourceType; name: string } }): string {
  return addressKey({ host: a.host, type: a.resource.type, name: a.resource.name });
}

export function parseAddress(key: string): Address {
  const [host, type, ...rest] = key.split('/');
  if (!host || !type || rest.length === 0 || !(RESOURCE_TYPES as readonly string[]).includes(type)) {
    throw new Error(`not a resource address: ${key}`);
  }
  return { host, type: type as ResourceType, name: rest.join('/') };
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
