// Disk specs: xl runs the program a disk names with `script=` (or one of the old prefixes
// `iscsi:`, `nbd:`, `enbd:`, `drbd:`, which mean script=block-<prefix>) as root in Dom0 when the
// disk attaches, so whoever writes the topology could run anything on every host. A VM must say
// `allowDiskScripts: true` for its disks to name one. (Quotes, blanks, brackets and newlines,
// which could end the xl.cfg string or line, the schema's pattern already refuses.)
import type { Check, CheckProblem } from './parts.js';

/** The parameter of a disk spec that makes xl run a program, or undefined. */
export function diskScript(spec: string): string | undefined {
  for (const param of spec.split(',')) {
    if (/^script=/i.test(param)) return `${param} makes xl run that program`;
    // Old prefixes may follow others (`phy:nbd:...`); xl strips each in turn.
    const m = /^(?:[a-z0-9]+:)*?(iscsi|e?nbd|drbd):/i.exec(param);
    if (m) return `${m[1]}: makes xl run the script block-${m[1].toLowerCase()}`;
  }
  return undefined;
}

export const checkDisks: Check = (p) => {
  const out: CheckProblem[] = [];
  for (const [name, vm] of p.vms) {
    if (vm.allowDiskScripts === true) continue;
    (vm.disk ?? []).forEach((spec, k) => {
      const script = diskScript(spec);
      if (script) {
        out.push({
          path: ['vms', name, 'disk', k],
          message: `${script} as root in Dom0 when the disk attaches; tvd refuses disk scripts unless the VM says allowDiskScripts: true`,
        });
      }
    });
  }
  return out;
};
