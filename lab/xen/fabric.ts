// The real-Xen lab's wires, as pure frame logic: one learning switch per segment (any frame,
// 802.1Q tags included, goes only to ports of its own segment) and one router between the
// segments (ARP for each segment's gateway, IPv4 forwarded by /24 with its TTL and checksum
// updated). QEMU hosts reach it through UDP on 127.0.0.1 (fabric-main.ts), never through an
// interface of this machine.

export interface FabricSegment {
  name: string;
  /** a.b.c.0/24 */
  subnet: string;
  gateway: string;
  /** The router's MAC on this segment. */
  routerMac: string;
}

export interface FabricConfig {
  segments: FabricSegment[];
  /** Port id -> segment name. */
  ports: { id: number; segment: string }[];
}

export interface Emit {
  port: number;
  frame: Buffer;
}

const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const ETH_ARP = 0x0806;
const ETH_IPV4 = 0x0800;
/** Packets held per address while the router asks for its MAC. */
const QUEUE_LIMIT = 16;

const macText = (b: Buffer, at: number) => [...b.subarray(at, at + 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
const macBytes = (m: string) => Buffer.from(m.split(':').map((x) => parseInt(x, 16)));
const ipText = (b: Buffer, at: number) => [...b.subarray(at, at + 4)].join('.');
const ipBytes = (ip: string) => Buffer.from(ip.split('.').map(Number));
const net24 = (ip: string) => ip.split('.').slice(0, 3).join('.');

/** The ones' complement sum of an IPv4 header with its checksum field as zero. */
export function ipv4Checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) if (i !== 10) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export class Fabric {
  private readonly segmentOf = new Map<number, FabricSegment>();
  private readonly bySubnet = new Map<string, FabricSegment>();
  /** Per segment: MAC -> port, learnt from source addresses. */
  private readonly macs = new Map<string, Map<string, number>>();
  /** Per segment: IPv4 -> MAC, learnt from ARP. */
  private readonly arp = new Map<string, Map<string, string>>();
  private readonly waiting = new Map<string, Buffer[]>();

  constructor(private readonly config: FabricConfig) {
    for (const s of config.segments) {
      this.bySubnet.set(net24(s.subnet.split('/')[0]), s);
      this.macs.set(s.name, new Map());
      this.arp.set(s.name, new Map());
    }
    for (const p of config.ports) {
      const s = config.segments.find((x) => x.name === p.segment);
      if (!s) throw new Error(`port ${p.id}: no segment ${p.segment}`);
      this.segmentOf.set(p.id, s);
    }
  }

  /** What a frame arriving on `port` becomes: the frames to send, and where. */
  receive(port: number, frame: Buffer): Emit[] {
    const seg = this.segmentOf.get(port);
    if (!seg || frame.length < 14) return [];
    const dst = macText(frame, 0);
    const src = macText(frame, 6);
    if (src !== seg.routerMac) this.macs.get(seg.name)!.set(src, port);
    const type = frame.readUInt16BE(12);
    const out: Emit[] = [];
    if (type === ETH_ARP && frame.length >= 42) out.push(...this.arpIn(seg, frame));
    if (dst === seg.routerMac) {
      if (type === ETH_IPV4) out.push(...this.route(seg, frame));
      return out;
    }
    return [...out, ...this.switchFrame(seg, port, dst, frame)];
  }

  private switchFrame(seg: FabricSegment, from: number, dst: string, frame: Buffer): Emit[] {
    const known = this.macs.get(seg.name)!.get(dst);
    if (dst !== BROADCAST && known !== undefined) return known === from ? [] : [{ port: known, frame }];
    return this.config.ports.filter((p) => p.segment === seg.name && p.id !== from).map((p) => ({ port: p.id, frame }));
  }

  private arpIn(seg: FabricSegment, f: Buffer): Emit[] {
    const op = f.readUInt16BE(20);
    const senderMac = macText(f, 22);
    const senderIp = ipText(f, 28);
    const targetIp = ipText(f, 38);
    if (net24(senderIp) === net24(seg.gateway) && senderIp !== '0.0.0.0') {
      this.arp.get(seg.name)!.set(senderIp, senderMac);
      const held = this.waiting.get(`${seg.name}/${senderIp}`);
      if (held) {
        this.waiting.delete(`${seg.name}/${senderIp}`);
        return held.flatMap((p) => this.deliver(seg, senderIp, p));
      }
    }
    if (op !== 1 || targetIp !== seg.gateway) return [];
    const reply = Buffer.alloc(42);
    macBytes(senderMac).copy(reply, 0);
    macBytes(seg.routerMac).copy(reply, 6);
    reply.writeUInt16BE(ETH_ARP, 12);
    f.copy(reply, 14, 14, 20); // hardware and protocol types and sizes
    reply.writeUInt16BE(2, 20);
    macBytes(seg.routerMac).copy(reply, 22);
    ipBytes(seg.gateway).copy(reply, 28);
    macBytes(senderMac).copy(reply, 32);
    ipBytes(senderIp).copy(reply, 38);
    const port = this.macs.get(seg.name)!.get(senderMac);
    return port === undefined ? [] : [{ port, frame: reply }];
  }

  private route(from: FabricSegment, f: Buffer): Emit[] {
    if (f.length < 34) return [];
    const ihl = (f[14] & 0x0f) * 4;
    const ttl = f[22];
    const dstIp = ipText(f, 30);
    const to = this.bySubnet.get(net24(dstIp));
    if (!to || ttl <= 1 || to === from || f.length < 14 + ihl) return [];
    const p = Buffer.from(f);
    p[22] = ttl - 1;
    p.writeUInt16BE(ipv4Checksum(p.subarray(14, 14 + ihl)), 24);
    const mac = this.arp.get(to.name)!.get(dstIp);
    if (mac) return this.deliver(to, dstIp, p);
    const key = `${to.name}/${dstIp}`;
    const queue = this.waiting.get(key) ?? [];
    if (queue.length < QUEUE_LIMIT) queue.push(p);
    this.waiting.set(key, queue);
    return this.config.ports.filter((x) => x.segment === to.name).map((x) => ({ port: x.id, frame: this.arpRequest(to, dstIp) }));
  }

  private deliver(to: FabricSegment, ip: string, packet: Buffer): Emit[] {
    const mac = this.arp.get(to.name)!.get(ip)!;
    const p = Buffer.from(packet);
    macBytes(mac).copy(p, 0);
    macBytes(to.routerMac).copy(p, 6);
    const port = this.macs.get(to.name)!.get(mac);
    if (port !== undefined) return [{ port, frame: p }];
    return this.config.ports.filter((x) => x.segment === to.name).map((x) => ({ port: x.id, frame: p }));
  }

  private arpRequest(seg: FabricSegment, ip: string): Buffer {
    const r = Buffer.alloc(42);
    macBytes(BROADCAST).copy(r, 0);
    macBytes(seg.routerMac).copy(r, 6);
    r.writeUInt16BE(ETH_ARP, 12);
    r.writeUInt16BE(1, 14);
    r.writeUInt16BE(ETH_IPV4, 16);
    r[18] = 6;
    r[19] = 4;
    r.writeUInt16BE(1, 20);
    macBytes(seg.routerMac).copy(r, 22);
    ipBytes(seg.gateway).copy(r, 28);
    ipBytes(ip).copy(r, 38);
    return r;
  }
}
