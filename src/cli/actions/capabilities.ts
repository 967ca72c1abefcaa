// What `tvd capabilities` does; its arguments and options are in commands/capabilities.ts.
import { collectCapabilities } from '../../capabilities/collect.js';
import { writeCapabilityFile } from '../../capabilities/files.js';
import type { Capabilities } from '../../capabilities/schema.js';
import { hostTargets } from '../../ssh/host-targets.js';
import { diagnosticLines } from '../diagnostic-text.js';
import { loadTopology } from '../../topology/load.js';
import { parseParallelism } from '../option-values.js';
import { colorWanted, palette } from '../palette.js';
import { connectOptionsFrom, hostLockWaitFrom, type SshCliOptions } from '../ssh-options.js';

export interface CapabilitiesOptions extends SshCliOptions {
  out: string;
  parallelism: string;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
}

export async function run(path: string, opts: CapabilitiesOptions): Promise<void> {
  process.exitCode = await collect(path, opts);
}

async function collect(path: string, opts: CapabilitiesOptions): Promise<number> {
  const parallelism = parseParallelism(opts.parallelism);
  const loaded = loadTopology(path);
  if (!loaded.ok) {
    for (const l of diagnosticLines(loaded.diagnostics)) process.stderr.write(l + '\n');
    return 1;
  }
  const connect = connectOptionsFrom(opts);
  const targets = hostTargets(loaded.topology);
  const p = palette(colorWanted(opts.color));
  if (targets.length === 0) {
    if (!opts.quiet) process.stdout.write('No hosts in the topology: nothing to probe.\n');
    return 0;
  }
  let failed = 0;
  const writes: Promise<void>[] = [];
  await collectCapabilities(targets, connect, {
    parallelism,
    hostLockWait: hostLockWaitFrom(opts),
    onResult: (r) => {
      if (!r.ok) {
        failed++;
        process.stderr.write(`${p.red('Error:')} ${r.error}\n`);
        return;
      }
      writes.push(
        writeCapabilityFile(opts.out, r.capabilities).then(
          (file) => {
            if (!opts.quiet) process.stdout.write(`${p.green(r.host)}: ${summary(r.capabilities)} -> ${file}\n`);
            if (opts.verbose) process.stdout.write(details(r.capabilities));
          },
          (err: NodeJS.ErrnoException) => {
            failed++;
            process.stderr.write(
              `${p.red('Error:')} host ${r.host}: cannot write its capability file in ${opts.out} (${err.code ?? err.message})\n`,
            );
          },
        ),
      );
    },
  });
  await Promise.all(writes);
  const ok = targets.length - failed;
  if (!opts.quiet || failed) {
    const line = `Collected ${ok} of ${targets.length} ${targets.length === 1 ? 'host' : 'hosts'}${failed ? `; ${failed} failed` : ''}.`;
    (failed ? process.stderr : process.stdout).write((failed ? p.red(line) : line) + '\n');
  }
  return failed ? 1 : 0;
}

function summary(c: Capabilities): string {
  const mechs = Object.entries(c.mechanisms)
    .filter(([, v]) => v)
    .map(([k]) => k);
  return `${c.functional.join('+') || 'no functional capability'} (${mechs.join(', ') || 'no mechanisms'}), Xen ${c.xen.version}`;
}

function details(c: Capabilities): string {
  const lines = [
    ...Object.entries(c.uplinks).map(([n, u]) => `  uplink ${n}: mtu ${u.mtu}${u.address ? `, ${u.address}` : ''}`),
    ...Object.entries(c.properties).map(
      ([k, v]) => `  ${k}: ${Array.isArray(v.value) ? v.value.join(' ') : String(v.value)} (${v.evidence})`,
    ),
  ];
  return lines.join('\n') + '\n';
}
