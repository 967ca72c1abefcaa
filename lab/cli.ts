#!/usr/bin/env node
// `tvd-lab`: Xen-like Dom0 hosts on one machine (namespaces, real sshd, an xl stand-in).
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { reportFailure } from '../src/cli/report-failure.js';
import { labDown } from './down.js';
import { labExecInteractive, type ExecTarget } from './exec.js';
import { labReboot } from './reboot.js';
import { listPrefixes, readRecord } from './registry.js';
import { DEFAULT_PREFIX, labUp } from './up.js';
import { isXenLab, type AnyLabInfo } from './lab-info.js';
import { UserError } from '../src/errors/user-error.js';
import { xenLabUp } from './xen/up.js';
import { cleanImages, IMAGE_CACHE } from './xen/image.js';

const kind = (v: string): 'netns' | 'xen' => {
  if (v !== 'netns' && v !== 'xen') throw new InvalidArgumentError('give netns or xen');
  return v;
};

const int = (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('not a whole number');
  return Number(v);
};

const program = new Command('tvd-lab')
  .description(
    'Build a lab of Dom0 hosts on this machine: namespaces with real OpenSSH servers and an xl stand-in, or (--kind xen) real Xen in QEMU.',
  )
  .exitOverride()
  .configureOutput({ outputError: (s, write) => write(s) });

program
  .command('up')
  .description('create N hosts and write DIR/lab.json, DIR/known_hosts, DIR/hosts.yaml')
  .requiredOption('--hosts <n>', 'number of Dom0 hosts', int)
  .option(
    '--kind <kind>',
    'netns: namespaces with an xl stand-in (seconds); xen: real Xen 4.17 and a Debian Dom0 in QEMU (minutes)',
    kind,
    'netns',
  )
  .option('--prefix <p>', 'names this lab (namespaces and links start with it)', DEFAULT_PREFIX)
  .option('--segments <k>', 'number of L2 segments joined by a routed core', int, 1)
  .requiredOption('--out <dir>', 'new or empty folder for the lab files')
  .action(async (o: { hosts: number; kind: 'netns' | 'xen'; prefix: string; segments: number; out: string }) => {
    const t0 = Date.now();
    const opts = { hosts: o.hosts, prefix: o.prefix, segments: o.segments, out: o.out };
    const lab: AnyLabInfo = o.kind === 'xen' ? await xenLabUp({ ...opts, log: (l) => process.stderr.write(`${l}\n`) }) : await labUp(opts);
    const kindText = isXenLab(lab) ? 'real Xen ' : '';
    process.stdout.write(
      `lab '${lab.prefix}' up: ${lab.hosts.length} ${kindText}hosts in ${lab.block} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
    for (const h of lab.hosts) process.stdout.write(`  ${h.name}  ${h.address}:${h.port}  segment ${h.segment}\n`);
    const h1 = lab.hosts[0];
    process.stdout.write(`ssh -i ${lab.identity} -o UserKnownHostsFile=${lab.knownHosts} -p ${h1.port} root@${h1.address}\n`);
  });

program
  .command('clean')
  .description('remove the cached real-Xen Dom0 image (a later up --kind xen builds it again)')
  .requiredOption('--kind <kind>', 'xen (the only kind with a cache)', kind)
  .action((o: { kind: 'netns' | 'xen' }) => {
    if (o.kind !== 'xen') throw new InvalidArgumentError('only --kind xen has a cache to clean');
    const up = listPrefixes().filter((p) => readRecord(p)?.kind === 'xen');
    if (up.length > 0) throw new UserError(`real-Xen labs are up (${up.join(', ')}): take them down first`);
    process.stdout.write(cleanImages() ? `removed ${IMAGE_CACHE}\n` : `no cache at ${IMAGE_CACHE}: nothing to do\n`);
  });

program
  .command('down')
  .description('remove every namespace, link, process and file of a lab (safe to run twice)')
  .option('--prefix <p>', 'the lab to remove', DEFAULT_PREFIX)
  .action(async (o: { prefix: string }) => {
    const r = await labDown(o.prefix);
    process.stdout.write(r.found ? `lab '${o.prefix}' down\n` : `no lab '${o.prefix}': nothing to do\n`);
  });

program
  .command('exec')
  .description("run a command in a VM (by domain name) or, with --host, in a host's Dom0")
  .usage('[--prefix P] (VM | --host H) -- CMD...')
  .option('--prefix <p>', 'the lab (default: the only lab that is up)')
  .option('--host <h>', "run in this host's Dom0")
  .argument('[target-and-command...]')
  .action(async (args: string[], o: { prefix?: string; host?: string }) => {
    let target: ExecTarget;
    let argv: string[];
    if (o.host !== undefined) {
      target = { host: o.host };
      argv = args;
    } else {
      if (args.length < 2) throw new InvalidArgumentError('give a VM name and a command: tvd-lab exec VM -- CMD...');
      target = { vm: args[0] };
      argv = args.slice(1);
    }
    process.exitCode = await labExecInteractive(o.prefix, target, argv);
  });

program
  .command('reboot')
  .description(
    'reboot a host: it loses processes, VMs, links and /run, keeps /etc and /var, then starts its enabled units and /etc/xen/auto',
  )
  .option('--prefix <p>', 'the lab', DEFAULT_PREFIX)
  .requiredOption('--host <h>', 'the host to reboot')
  .action(async (o: { prefix: string; host: string }) => {
    const r = await labReboot(o.prefix, o.host);
    process.stdout.write(`host ${r.host} rebooted\n`);
    for (const u of r.units) process.stdout.write(`  unit ${u.unit}: ${u.code === 0 ? 'started' : `failed (exit ${u.code})`}\n`);
    for (const d of r.domains)
      process.stdout.write(`  /etc/xen/auto/${d.config}: ${d.code === 0 ? 'created' : `failed (exit ${d.code})`}\n`);
    if ([...r.units, ...r.domains].some((x) => x.code !== 0)) process.exitCode = 1;
  });

program
  .command('list')
  .description('list the labs that are up')
  .action(() => {
    const prefixes = listPrefixes();
    // On stderr: stdout stays one line per lab, for scripts.
    if (prefixes.length === 0) process.stderr.write('No lab is up (tvd-lab up --hosts N makes one).\n');
    for (const p of prefixes) {
      const info = readRecord(p)?.info;
      process.stdout.write(
        info
          ? `${p}\t${info.kind ?? 'netns'}\t${info.block}\t${info.hosts.length} hosts\t${info.dir}\n`
          : `${p}\t(incomplete: run tvd-lab down --prefix ${p})\n`,
      );
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 1;
  } else {
    process.exitCode = reportFailure(err, process.argv.includes('--verbose'));
  }
}
