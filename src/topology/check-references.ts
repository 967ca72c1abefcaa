// Every name a flow, VM, NIC, firewall or dedicated NIC uses must be defined.
import type { Check, CheckProblem } from './parts.js';
import { closest } from './suggest.js';

export function missingName(kind: 'TVD' | 'host', name: string, defined: Set<string>): string {
  const section = kind === 'TVD' ? 'tvds' : 'hosts';
  const guess = closest(name, defined);
  if (guess) return `no ${kind} named '${name}'; did you mean '${guess}'?`;
  if (defined.size === 0) return `no ${kind} named '${name}'; define it under '${section}'`;
  const list = [...defined].slice(0, 8).join(', ') + (defined.size > 8 ? ', ...' : '');
  return `no ${kind} named '${name}'; the ${kind}s are: ${list}`;
}

export const checkReferences: Check = (p) => {
  const out: CheckProblem[] = [];
  const tvd = (name: unknown, path: (string | number)[], at?: 'key') => {
    if (typeof name === 'string' && !p.tvdNames.has(name)) out.push({ path, at, message: missingName('TVD', name, p.tvdNames) });
  };
  const host = (name: unknown, path: (string | number)[]) => {
    if (typeof name === 'string' && !p.hostNames.has(name)) out.push({ path, message: missingName('host', name, p.hostNames) });
  };
  for (const [i, f] of p.flows) {
    tvd(f.from, ['flows', i, 'from']);
    tvd(f.to, ['flows', i, 'to']);
    f.between?.forEach((t, j) => tvd(t, ['flows', i, 'between', j]));
  }
  for (const [name, t] of p.tvds) host(t.firewall, ['tvds', name, 'firewall']);
  for (const [name, h] of p.hosts) for (const t of Object.keys(h.dedicated ?? {})) tvd(t, ['hosts', name, 'dedicated', t], 'key');
  for (const [name, vm] of p.vms) {
    host(vm.host, ['vms', name, 'host']);
    vm.nics.forEach((nic, j) => tvd(nic.tvd, ['vms', name, 'nics', j, 'tvd']));
  }
  return out;
};
