// The real-Xen lab's fabric daemon: a UDP socket on 127.0.0.1 that each host's QEMU sends its
// fabric NIC's frames to (`-netdev socket,udp=`), and the pure Fabric deciding where they go.
// Usage: node fabric-main.js CONFIG.json   (prints "ready" once bound; runs until killed)
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { Fabric, type FabricConfig } from './fabric.js';

export interface FabricDaemonConfig extends FabricConfig {
  /** The daemon's own UDP port on 127.0.0.1. */
  listen: number;
  /** Port id -> the QEMU's UDP port on 127.0.0.1 (its localaddr). */
  peers: { id: number; udp: number }[];
}

const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as FabricDaemonConfig;
const fabric = new Fabric(config);
const idOfUdp = new Map(config.peers.map((p) => [p.udp, p.id]));
const udpOfId = new Map(config.peers.map((p) => [p.id, p.udp]));
const sock = createSocket('udp4');
sock.on('message', (frame, from) => {
  const id = from.address === '127.0.0.1' ? idOfUdp.get(from.port) : undefined;
  if (id === undefined) return;
  for (const e of fabric.receive(id, frame)) sock.send(e.frame, udpOfId.get(e.port)!, '127.0.0.1');
});
sock.on('error', (err) => {
  process.stderr.write(`fabric: ${err.message}\n`);
  process.exit(1);
});
sock.bind(config.listen, '127.0.0.1', () => process.stdout.write('ready\n'));
for (const s of ['SIGTERM', 'SIGINT'] as const) process.on(s, () => process.exit(0));
