#!/usr/bin/env node
// `xl` on a lab host: enough of Xen's toolstack for tvd and the tests. A domain is a network
// namespace named after it; its vifs are veth pairs plugged by the hotplug script of the config.
// Commands: create, destroy, shutdown, list, info, network-attach, network-detach, network-list,
// domid, domname. Messages and exit codes follow xl's where tvd or a person may read them.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { CfgSyntaxError, parseXlCfg } from './cfg-parse.js';
import { XlConfigError, domainConfig, parseVifSpec, type DomainConfig } from './domain-config.js';
import { findDomain, listDomains, nextDomid, removeDomain, saveDomain, withLock, xsRm, xsWrite, type DomainState } from './store.js';
import { mustSync, runSync } from './system.js';
import { HotplugError, configureGuest, plugVif, unplugVif } from './vif-device.js';

const TOTAL_MEMORY_MB = 16384;
const DOM0_MEMORY_MB = 1024;

class XlError extends Error {}

function usage(msg: string): never {
  throw new XlError(msg);
}

function domainOrFail(ref: string | undefined): DomainState {
  if (ref === undefined) usage('xl: missing domain argument');
  const d = findDomain(ref);
  if (!d) throw new XlError(`${ref} is an invalid domain identifier (rc=-6)`);
  return d;
}

function freeMemory(): number {
  return TOTAL_MEMORY_MB - DOM0_MEMORY_MB - listDomains().reduce((a, d) => a + d.maxmem, 0);
}

// ---- create ----

function create(args: string[]): void {
  let file: string | undefined;
  let quiet = false;
  let dryRun = false;
  let paused = false;
  const extra: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-n' || a === '--dryrun') dryRun = true;
    else if (a === '-p') paused = true;
    else if (a === '-f') file = args[++i];
    else if (a.startsWith('--defconfig=')) file = a.slice('--defconfig='.length);
    else if (['-F', '-V', '-c', '-A', '-e', '-d', '--vncviewer', '--autopass'].includes(a)) continue;
    else if (a.startsWith('-')) usage(`xl create: unknown option ${a}`);
    else if (file === undefined && !/^[a-z][a-z0-9_]*=/.test(a)) file = a;
    else extra.push(a);
  }
  if (file === undefined) usage('xl create: no config file given');
  // Like xl: a relative name that is not in the working folder is looked up in /etc/xen.
  const path = existsSync(file) || file.startsWith('/') ? resolve(file) : `/etc/xen/${file}`;
  if (!quiet) process.stderr.write(`Parsing config from ${path}\n`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new XlError(
      `Failed to read config file: ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`,
    );
  }
  const cfg = parseConfig(text + '\n' + extra.join('\n'), path);
  if (dryRun) {
    process.stdout.write(JSON.stringify(cfg, null, 2) + '\n');
    return;
  }
  withLock(() => build(cfg, path, paused));
}

function parseConfig(text: string, path: string): DomainConfig {
  try {
    return domainConfig(parseXlCfg(text, path));
  } catch (e) {
    if (e instanceof CfgSyntaxError) throw new XlError(`${e.message}\nFailed to parse config: Invalid argument`);
    if (e instanceof XlConfigError) throw new XlError(e.message);
    throw e;
  }
}

function build(cfg: DomainConfig, configFile: string, paused: boolean): void {
  if (listDomains().some((d) => d.name === cfg.name)) {
    throw new XlError(
      `libxl: error: libxl_create.c: Domain ${cfg.name}: domain with name "${cfg.name}" already exists.\nlibxl: error: libxl_create.c: cannot (re-)build domain: -6`,
    );
  }
  if (cfg.maxmem > freeMemory())
    throw new XlError(`libxl: error: libxl_mem.c: failed to free memory for the domain (need ${cfg.maxmem} MiB, ${freeMemory()} MiB free)`);
  if (existsSync(`/run/netns/${cfg.name}`))
    throw new XlError(
      `libxl: error: a network namespace named ${cfg.name} already exists on this host, so the lab cannot create domain ${cfg.name}`,
    );
  const domid = nextDomid();
  const dom: DomainState = {
    domid,
    name: cfg.name,
    type: cfg.type,
    memory: cfg.memory,
    maxmem: cfg.maxmem,
    vcpus: cfg.vcpus,
    netns: cfg.name,
    created: Date.now(),
    paused,
    cmdline: cfg.cmdline,
    configFile,
    vifs: [],
  };
  mustSync(['ip', 'netns', 'add', dom.netns]);
  saveDomain(dom);
  xsWrite({
    [`/local/domain/${domid}/name`]: cfg.name,
    [`/local/domain/${domid}/domid`]: String(domid),
    [`/local/domain/${domid}/memory/target`]: String(cfg.memory * 1024),
  });
  try {
    for (const spec of cfg.vifs) {
      dom.vifs.push(plugVif(dom, spec));
      saveDomain(dom);
    }
    configureGuest(dom, dom.vifs, true);
  } catch (e) {
    // libxl destroys a domain whose devices could not be added.
    teardown(dom);
    const why = e instanceof HotplugError ? e.message : `libxl: error: ${(e as Error).message}`;
    throw new XlError(
      `${why}\nlibxl: error: libxl_create.c:1896:domcreate_attach_devices: Domain ${domid}:unable to add vif devices\nlibxl: error: libxl_domain.c:1183:libxl__destroy_domid: Domain ${domid}:Non-existant domain`,
    );
  }
}

/** Everything of a domain goes: vifs (offline hook), processes, namespace, xenstore, state. */
function teardown(dom: DomainState): void {
  for (const v of [...dom.vifs].reverse()) unplugVif(dom, v);
  const pids = runSync(['ip', 'netns', 'pids', dom.netns])
    .stdout.split('\n')
    .filter((l) => /^\d+$/.test(l));
  for (const p of pids) {
    try {
      process.kill(Number(p), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  runSync(['ip', 'netns', 'del', dom.netns]);
  xsRm(`/local/domain/${dom.domid}`);
  xsRm(`backend/vif/${dom.domid}`);
  removeDomain(dom.domid);
}

function destroy(args: string[]): void {
  const ref = args.filter((a) => !a.startsWith('-'))[0];
  if (ref === '0' || ref === 'Domain-0') throw new XlError('xl: cannot destroy Domain-0');
  withLock(() => teardown(domainOrFail(ref)));
}

// ---- list / info ----

function list(args: string[]): void {
  const long = args.includes('-l') || args.includes('--long');
  const names = args.filter((a) => !a.startsWith('-'));
  const doms = names.length
    ? names.map((n) => (n === '0' || n === 'Domain-0' ? undefined : domainOrFail(n)))
    : [undefined, ...listDomains()];
  if (long) {
    process.stdout.write(
      JSON.stringify(
        doms.map((d) => (d ? longInfo(d) : { domid: 0, config: { c_info: { name: 'Domain-0' } } })),
        null,
        4,
      ) + '\n',
    );
    return;
  }
  const lines = ['Name                                        ID   Mem VCPUs\tState\tTime(s)'];
  for (const d of doms) {
    if (!d) lines.push(row('Domain-0', 0, DOM0_MEMORY_MB, os.cpus().length, 'r-----', process.uptime()));
    else lines.push(row(d.name, d.domid, d.memory, d.vcpus, d.paused ? '--p---' : '-b----', (Date.now() - d.created) / 1000 / 100));
  }
  process.stdout.write(lines.join('\n') + '\n');
}

function row(name: string, id: number, mem: number, vcpus: number, state: string, time: number): string {
  return `${name.padEnd(40)} ${String(id).padStart(5)} ${String(mem).padStart(5)} ${String(vcpus).padStart(5)}     ${state}  ${time.toFixed(1).padStart(8)}`;
}

function longInfo(d: DomainState) {
  return {
    domid: d.domid,
    config: {
      c_info: { type: d.type, name: d.name },
      b_info: { max_vcpus: d.vcpus, max_memkb: d.maxmem * 1024, target_memkb: d.memory * 1024, cmdline: d.cmdline },
      nics: d.vifs.map((v) => ({ devid: v.devid, mac: v.mac, bridge: v.bridge, ip: v.ip, script: v.scriptPath, ifname: v.vifname })),
    },
  };
}

function info(): void {
  const kv: [string, string | number][] = [
    ['host', os.hostname()],
    ['release', os.release()],
    ['version', os.version()],
    ['machine', os.machine()],
    ['nr_cpus', os.cpus().length],
    ['max_cpu_id', os.cpus().length - 1],
    ['nr_nodes', 1],
    ['cores_per_socket', os.cpus().length],
    ['threads_per_core', 1],
    ['virt_caps', 'pv hvm'],
    ['total_memory', TOTAL_MEMORY_MB],
    ['free_memory', freeMemory()],
    ['sharing_freed_memory', 0],
    ['sharing_used_memory', 0],
    ['outstanding_claims', 0],
    ['free_cpus', 0],
    ['xen_major', 4],
    ['xen_minor', 17],
    ['xen_extra', '.0'],
    ['xen_version', '4.17.0'],
    ['xen_caps', 'xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64'],
    ['xen_scheduler', 'credit2'],
    ['xen_pagesize', 4096],
    ['platform_params', 'virt_start=0xffff800000000000'],
    ['xen_changeset', ''],
    ['xen_commandline', `dom0_mem=${DOM0_MEMORY_MB}M`],
    ['cc_compiler', 'none: tvd lab xl stand-in, no real Xen'],
    ['cc_compile_by', 'tvd-lab'],
    ['cc_compile_domain', ''],
    ['cc_compile_date', ''],
    ['build_id', ''],
    ['xend_config_format', 4],
  ];
  process.stdout.write(kv.map(([k, v]) => `${k.padEnd(23)}: ${v}`).join('\n') + '\n');
}

// ---- network devices ----

function networkAttach(args: string[]): void {
  const [ref, ...tokens] = args;
  withLock(() => {
    const dom = domainOrFail(ref);
    const used = new Set(dom.vifs.map((v) => v.devid));
    let free = 0;
    while (used.has(free)) free++;
    let spec;
    try {
      spec = parseVifSpec(
        tokens.flatMap((t) => t.split(',')),
        free,
      );
    } catch (e) {
      throw new XlError((e as Error).message);
    }
    if (used.has(spec.devid)) throw new XlError(`libxl: error: device vif ${spec.devid} of domain ${dom.domid} already exists`);
    try {
      const vif = plugVif(dom, spec);
      dom.vifs.push(vif);
      saveDomain(dom);
      configureGuest(dom, [vif], false);
    } catch (e) {
      if (e instanceof HotplugError) throw new XlError(`${e.message}\nlibxl: error: libxl_device.c: unable to add device`);
      throw e;
    }
  });
}

function networkDetach(args: string[]): void {
  const [ref, which] = args;
  if (which === undefined) usage('xl network-detach: give a domain and a devid or MAC');
  withLock(() => {
    const dom = domainOrFail(ref);
    const vif = /^\d+$/.test(which) ? dom.vifs.find((v) => v.devid === Number(which)) : dom.vifs.find((v) => v.mac === which.toLowerCase());
    if (!vif) throw new XlError(`Unknown device ${which}.`);
    unplugVif(dom, vif);
    dom.vifs = dom.vifs.filter((v) => v !== vif);
    saveDomain(dom);
  });
}

function networkList(args: string[]): void {
  const lines = ['Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path'];
  for (const ref of args.filter((a) => !a.startsWith('-'))) {
    const dom = domainOrFail(ref);
    for (const v of dom.vifs) {
      lines.push(
        `${String(v.devid).padEnd(3)} 0  ${v.mac} ${String(v.devid).padEnd(6)} 4     ${String(-1).padEnd(6)} ${'-1/-1'.padEnd(15)} /local/domain/0/backend/vif/${dom.domid}/${v.devid}`,
      );
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

// ---- dispatch ----

const HELP = `Usage xl [-v] [-N] [-f] [-t] <subcommand> [args]

xl full list of subcommands (tvd lab stand-in):

 create              Create a domain from config file <filename>
 destroy             Terminate a domain immediately
 shutdown            Issue a shutdown signal to a domain
 list                List information about all/some domains
 info                Get information about Xen host
 domid               Convert a domain name to domain id
 domname             Convert a domain id to domain name
 network-attach      Create a new virtual network device
 network-detach      Destroy a domain's virtual network device
 network-list        List virtual network interfaces for a domain
`;

function main(argv: string[]): number {
  while (argv[0] && /^-[vNft]+$/.test(argv[0])) argv = argv.slice(1);
  const [cmd, ...args] = argv;
  try {
    switch (cmd) {
      case 'create':
        create(args);
        break;
      case 'destroy':
        destroy(args);
        break;
      case 'shutdown': // the guest powers off; on_poweroff's default is destroy
        destroy(args.filter((a) => !['-w', '--wait', '-a', '--all', '-F'].includes(a)));
        break;
      case 'list':
        list(args);
        break;
      case 'info':
        info();
        break;
      case 'domid':
        process.stdout.write(`${args[0] === 'Domain-0' ? 0 : domainOrFail(args[0]).domid}\n`);
        break;
      case 'domname':
        process.stdout.write(`${args[0] === '0' ? 'Domain-0' : domainOrFail(args[0]).name}\n`);
        break;
      case 'network-attach':
        networkAttach(args);
        break;
      case 'network-detach':
        networkDetach(args);
        break;
      case 'network-list':
        networkList(args);
        break;
      case undefined:
      case 'help':
      case '-h':
      case '--help':
        process.stdout.write(HELP);
        return cmd === undefined ? 1 : 0;
      default:
        process.stderr.write(`command not implemented in the lab's xl: ${cmd}\n`);
        return 1;
    }
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
