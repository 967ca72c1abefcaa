// TVD subnets, gateways and NIC addresses: each subnet a network address with room for hosts,
// no two overlapping, the gateway inside its subnet, and each NIC ip a unique host address of
// its TVD's subnet other than the gateway.
import { firstHost, formatCidr, intToIp, ipToInt, isNetworkAddress, parseCidr, subnetsOverlap, type Cidr } from './cidr.js';
import type { Check, CheckProblem } from './parts.js';
import { DEFAULT_TRANSIT_POOL } from './schema-constants.js';

export const checkAddresses: Check = (p) => {
  const out: CheckProblem[] = [];
  const subnets = new Map<string, Cidr>(); // TVD -> its subnet, when usable
  const gateways = new Map<string, number>();
  const candidates: { name: string; c: Cidr; order: number }[] = [];
  const poolText = p.defaults.transit ?? DEFAULT_TRANSIT_POOL;
  const pool = parseCidr(poolText);

  for (const [name, t] of p.tvds) {
    if (t.subnet === undefined) {
      if (t.gateway !== undefined)
        out.push({ path: ['tvds', name, 'gateway'], message: 'a gateway needs a subnet; add a subnet to this TVD' });
      continue;
    }
    const c = parseCidr(t.subnet);
    if (!c) continue; // the schema check reported it
    const path = ['tvds', name, 'subnet'];
    if (!isNetworkAddress(c)) {
      out.push({ path, message: `${t.subnet} is not a network address (it has host bits set); did you mean ${formatCidr(c)}?` });
      continue;
    }
    if (c.prefix > 30) {
      out.push({ path, message: `${t.subnet} is too small: a TVD subnet needs room for its gateway and VMs; use /30 or larger` });
      continue;
    }
    candidates.push({ name, c, order: candidates.length });
    subnets.set(name, c);
    if (pool && subnetsOverlap(c, pool)) {
      out.push({
        path,
        message: `${t.subnet} overlaps ${poolText}, where the links between TVD firewalls take their addresses; choose another subnet or set defaults.transit to a free range`,
      });
    }

    let gw = firstHost(c)!;
    if (t.gateway !== undefined) {
      const g = ipToInt(t.gateway);
      if (g === undefined) continue;
      const gpath = ['tvds', name, 'gateway'];
      if (g < c.network || g > c.broadcast) out.push({ path: gpath, message: `${t.gateway} is not in the subnet ${t.subnet}` });
      else if (g === c.network)
        out.push({ path: gpath, message: `${t.gateway} is the network address of ${t.subnet}; pick a host address` });
      else if (g === c.broadcast)
        out.push({ path: gpath, message: `${t.gateway} is the broadcast address of ${t.subnet}; pick a host address` });
      gw = g;
    }
    gateways.set(name, gw);
  }

  out.push(...overlaps(candidates));

  const tvdByName = new Map(p.tvds);
  // The owner as (VM, index) and the path made only for a problem: a string per NIC cost 150 ms
  // at 10,000 hosts (100,000 NICs).
  const ipOwner = new Map<number, [string, number]>();
  for (const [vm, spec] of p.vms) {
    spec.nics.forEach((nic, j) => {
      if (nic.ip === undefined) return;
      const n = ipToInt(nic.ip);
      if (n === undefined) return;
      const path = () => ['vms', vm, 'nics', j, 'ip'];
      const tvd = tvdByName.get(nic.tvd);
      if (tvd && tvd.subnet === undefined) {
        if (p.faulty(['tvds', nic.tvd, 'subnet'])) return; // the subnet's own error says it
        out.push({
          path: path(),
          message: `TVD '${nic.tvd}' has no subnet, so its NICs have no addresses; give the TVD a subnet or drop this ip`,
        });
        return;
      }
      const c = subnets.get(nic.tvd);
      if (c) {
        if (n < c.network || n > c.broadcast) {
          out.push({ path: path(), message: `${nic.ip} is not in the subnet of TVD '${nic.tvd}' (${formatCidr(c)})` });
          return;
        }
        if (n === c.network)
          return void out.push({ path: path(), message: `${nic.ip} is the network address of ${formatCidr(c)}; pick a host address` });
        if (n === c.broadcast)
          return void out.push({ path: path(), message: `${nic.ip} is the broadcast address of ${formatCidr(c)}; pick a host address` });
        if (n === gateways.get(nic.tvd)) {
          const explicit = tvd?.gateway !== undefined;
          return void out.push({
            path: path(),
            message: `${nic.ip} is the gateway of TVD '${nic.tvd}'${explicit ? '' : ' (the first host address, by default)'}; pick another address`,
          });
        }
      }
      const first = ipOwner.get(n);
      if (first !== undefined)
        out.push({
          path: path(),
          message: `${intToIp(n)} is already used by vms.${first[0]}.nics[${first[1]}]; each NIC needs its own address`,
        });
      else ipOwner.set(n, [vm, j]);
    });
  }
  return out;
};

/**
 * Overlapping subnets, found by a sweep in address order (n log n, for topologies with
 * thousands of TVDs). Each overlap is reported on the TVD written later, naming the earlier.
 */
function overlaps(subnets: { name: string; c: Cidr; order: number }[]): CheckProblem[] {
  const out: CheckProblem[] = [];
  const sorted = [...subnets].sort((a, b) => a.c.network - b.c.network || a.c.prefix - b.c.prefix);
  let widest: (typeof sorted)[number] | undefined; // the one reaching furthest so far
  for (const s of sorted) {
    if (widest && subnetsOverlap(s.c, widest.c)) {
      const [later, earlier] = s.order > widest.order ? [s, widest] : [widest, s];
      out.push({
        path: ['tvds', later.name, 'subnet'],
        message: `${formatCidr(later.c)} overlaps tvds.${earlier.name}.subnet (${formatCidr(earlier.c)}); TVD subnets must not overlap`,
      });
    }
    if (!widest || s.c.broadcast > widest.c.broadcast) widest = s;
  }
  return out;
}
