// A tunnel's ends are IPv4 addresses: the uplink's from the capability model, else the host's own
// address when that is one (it may be a DNS name, which only SSH resolves).
import { ipToInt } from '../../topology/cidr.js';
import type { PlanContext, Sink } from './context.js';

/** Each host's tunnel address, asked for lazily (only hosts with tunnels need one) and answered once. */
export function underlayResolver(ctx: PlanContext, sink: Sink): (host: string) => string {
  const known = new Map<string, string>();
  return (h) => {
    const seen = known.get(h);
    if (seen !== undefined) return seen;
    const spec = ctx.hosts[h];
    const a = ctx.capabilities[h]?.uplinks[spec.uplink]?.address ?? spec.address;
    known.set(h, a);
    if (ipToInt(a) === undefined) {
      sink.errors.push({
        code: 'no-underlay',
        host: h,
        message: `host ${h} needs an IPv4 address on its uplink ${spec.uplink} for tunnels, but its capability model gives none and hosts.${h}.address is the DNS name ${a}; collect its capabilities again (\`tvd capabilities\`) once the uplink has an address`,
      });
    }
    return a;
  };
}

export function uplinkMtu(ctx: PlanContext, h: string): number {
  return ctx.capabilities[h]?.uplinks[ctx.hosts[h].uplink]?.mtu ?? 1500;
}
