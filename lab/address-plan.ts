// The lab's names and addresses, derived from (prefix, slot, hosts, segments) alone: pure, no I/O.
//
// Address plan: labs live in 198.18.0.0/16 (198.19.0.0/16 stays free for TVD subnets). Each lab
// takes one /21 "slot" (32 slots): 198.18.(8*slot).0/21. Inside it, the first /24 is the
// management leg (root side .1, core side .2) and /24 number k (1..7) is segment sk: gateway .1
// on the core's bridge, hosts from .11 upwards. Hosts are dealt round-robin over the segments.

export const LAB_SLOTS = 32;
export const MAX_SEGMENTS = 7;
export const FIRST_HOST_OCTET = 11;
export const MAX_HOSTS_PER_SEGMENT = 254 - FIRST_HOST_OCTET + 1;
/** Link names must fit IFNAMSIZ (15 chars): the root-side link is `${prefix}-m`. */
export const PREFIX_PATTERN = /^[a-z][a-z0-9]{0,11}$/;

export interface SegmentPlan {
  name: string; // s1, s2, ...
  bridge: string; // the bridge in the core namespace
  subnet: string; // 198.18.x.0/24
  gateway: string; // 198.18.x.1
}

export interface HostPlan {
  name: string; // h1, h2, ...
  netns: string; // ${prefix}-h1
  segment: string;
  address: string;
  prefixLength: number;
  gateway: string;
  corePort: string; // the host's veth peer on its segment bridge, in the core namespace
  mac: string; // eth0's, fixed like a real NIC's so that it survives a reboot
}

export interface LabPlan {
  prefix: string;
  slot: number;
  block: string; // 198.18.x.0/21
  coreNetns: string;
  management: { rootLink: string; rootAddress: string; coreLink: string; coreAddress: string; prefixLength: number };
  segments: SegmentPlan[];
  hosts: HostPlan[];
}

/** Why a lab of this shape cannot be built, or undefined when it can. */
export function checkLabShape(prefix: string, hosts: number, segments: number): string | undefined {
  if (!PREFIX_PATTERN.test(prefix))
    return `prefix '${prefix}' must match ${PREFIX_PATTERN.source} (it names links, which are at most 15 characters)`;
  if (!Number.isInteger(hosts) || hosts < 1) return `--hosts must be a whole number >= 1 (got ${hosts})`;
  if (!Number.isInteger(segments) || segments < 1 || segments > MAX_SEGMENTS)
    return `--segments must be 1..${MAX_SEGMENTS} (got ${segments})`;
  if (Math.ceil(hosts / segments) > MAX_HOSTS_PER_SEGMENT) return `at most ${MAX_HOSTS_PER_SEGMENT} hosts per segment: use more --segments`;
  return undefined;
}

export function planLab(prefix: string, slot: number, hostCount: number, segmentCount: number): LabPlan {
  const problem = checkLabShape(prefix, hostCount, segmentCount);
  if (problem) throw new Error(problem);
  if (!Number.isInteger(slot) || slot < 0 || slot >= LAB_SLOTS) throw new Error(`slot ${slot} out of range`);
  const base = slot * 8;
  const segments: SegmentPlan[] = [];
  for (let k = 1; k <= segmentCount; k++) {
    segments.push({ name: `s${k}`, bridge: `s${k}`, subnet: `198.18.${base + k}.0/24`, gateway: `198.18.${base + k}.1` });
  }
  const used = new Array<number>(segmentCount).fill(0);
  const hosts: HostPlan[] = [];
  for (let i = 1; i <= hostCount; i++) {
    const k = (i - 1) % segmentCount;
    const seg = segments[k];
    const octet = FIRST_HOST_OCTET + used[k]++;
    hosts.push({
      name: `h${i}`,
      netns: `${prefix}-h${i}`,
      segment: seg.name,
      address: `198.18.${base + k + 1}.${octet}`,
      prefixLength: 24,
      gateway: seg.gateway,
      corePort: `h${i}`,
      mac: ['02', '18', slot, i >> 8, i & 0xff, 1].map((b) => (typeof b === 'string' ? b : b.toString(16).padStart(2, '0'))).join(':'),
    });
  }
  return {
    prefix,
    slot,
    block: `198.18.${base}.0/21`,
    coreNetns: `${prefix}-core`,
    management: {
      rootLink: `${prefix}-m`,
      rootAddress: `198.18.${base}.1`,
      coreLink: 'mgmt',
      coreAddress: `198.18.${base}.2`,
      prefixLength: 24,
    },
    segments,
    hosts,
  };
}

/** Does a namespace or link name belong to the lab with this prefix? (`t1-` never matches `t10-`.) */
export function belongsToLab(prefix: string, name: string): boolean {
  return name.startsWith(`${prefix}-`);
}
