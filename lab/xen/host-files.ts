// What makes one real-Xen lab host itself, as pure text and argv: its seed (the files that
// tvdlab-seed unpacks from /dev/vdb on every boot), its QEMU command line, and the lab's
// known_hosts and hosts.yaml lines for it.
import type { XenHostPlan, XenLabPlan } from './xen-plan.js';
import type { XenImage } from './image.js';

/**
 * The fabric NIC's address, and the route to the other segments through the fabric's router.
 * Matched by name (eth0 is the NIC at PCI slot 4, QEMU's order), never by MAC: an 802.1Q device
 * of tvd's on eth0 has eth0's MAC, and networkd then gave it eth0's address too.
 */
export function fabricNetwork(h: XenHostPlan, block: string): string {
  return [
    '[Match]',
    'Name=eth0',
    '',
    '[Network]',
    `Address=${h.address}/${h.prefixLength}`,
    'LinkLocalAddressing=no',
    'IPv6AcceptRA=no',
    '',
    '[Route]',
    `Destination=${block}`,
    `Gateway=${h.gateway}`,
    '',
  ].join('\n');
}

/** Memory of each QEMU, and of its Dom0: the rest is for guests (128 MiB each in the lab's examples). */
export const XEN_HOST_MEMORY_MIB = 2048;
export const DOM0_MEMORY_MIB = 768;

export interface QemuPaths {
  overlay: string;
  seed: string;
  serialLog: string;
  monitor: string;
  pidFile: string;
}

/**
 * The QEMU that is one host: Xen under TCG (`-cpu max,-smap,-smep`: with SMAP the Dom0 faults at
 * once), without the AVX family (new in QEMU 7.2's TCG: glibc's AVX2 string functions made busybox
 * in the guests segfault) and without XSAVE, MPX and PKU (Xen then switches domains' FPU state
 * with FXSAVE: with xsaveopt and MPX/PKRU state, an xl create while another guest booted failed
 * to decompress the guest's kernel, 3 times of 3; with FXSAVE, 4 of 4 passed), booted by QEMU's
 * multiboot loader; the fabric NIC first (eth0, the uplink), the
 * management NIC second (user net restricted to itself, SSH forwarded from 127.0.0.1 only).
 * One vCPU each: the machine has two cores for every host of the lab.
 */
export function qemuArgv(lab: Pick<XenLabPlan, 'prefix' | 'hubPort' | 'mgmtNet'>, h: XenHostPlan, image: XenImage, p: QemuPaths): string[] {
  const xenArgs = `console=com1 com1=115200,8n1 dom0_mem=${DOM0_MEMORY_MIB}M,max:${DOM0_MEMORY_MIB}M dom0_max_vcpus=1 noreboot`;
  const dom0Args = `root=/dev/vda rw console=hvc0 earlyprintk=xen net.ifnames=0 systemd.show_status=false`;
  return [
    'qemu-system-x86_64',
    '-name',
    `tvdlab-${lab.prefix}-${h.name}`,
    '-accel',
    'tcg,thread=multi,tb-size=256',
    '-cpu',
    'max,-smap,-smep,-avx,-avx2,-fma,-f16c,-vaes,-vpclmulqdq,-xsave,-mpx,-pku',
    '-m',
    String(XEN_HOST_MEMORY_MIB),
    '-smp',
    '1',
    '-machine',
    'pc',
    '-nographic',
    '-nodefaults',
    '-display',
    'none',
    '-serial',
    `file:${p.serialLog}`,
    '-monitor',
    `unix:${p.monitor},server,nowait`,
    '-pidfile',
    p.pidFile,
    '-daemonize',
    '-kernel',
    image.xen,
    '-append',
    xenArgs,
    // Multiboot modules, comma-separated: the Dom0 kernel with its command line, then its initrd.
    '-initrd',
    `${image.kernel} ${dom0Args},${image.initrd}`,
    '-drive',
    `file=${p.overlay},if=none,id=disk,format=qcow2,cache=unsafe`,
    '-device',
    'virtio-blk-pci,drive=disk,addr=0x3',
    '-netdev',
    `socket,id=fabric,udp=127.0.0.1:${lab.hubPort},localaddr=127.0.0.1:${h.fabricUdp}`,
    '-device',
    `virtio-net-pci,netdev=fabric,mac=${h.fabricMac},addr=0x4`,
    '-netdev',
    `user,id=mgmt,net=${lab.mgmtNet},restrict=on,hostfwd=tcp:127.0.0.1:${h.sshPort}-:22`,
    '-device',
    `virtio-net-pci,netdev=mgmt,mac=${h.mgmtMac},addr=0x5`,
    '-drive',
    `file=${p.seed},if=none,id=seed,format=raw,readonly=on`,
    '-device',
    'virtio-blk-pci,drive=seed,addr=0x6',
  ];
}

export function xenKnownHostsLine(port: number, publicKey: string): string {
  return `[127.0.0.1]:${port} ${publicKey.trim().split(/\s+/).slice(0, 2).join(' ')}\n`;
}

export function xenHostsYaml(hosts: XenHostPlan[]): string {
  const lines = ['hosts:'];
  for (const h of hosts)
    lines.push(`  ${h.name}: {address: 127.0.0.1, port: ${h.sshPort}, user: root, uplink: eth0, segment: ${h.segment}}`);
  return lines.join('\n') + '\n';
}
