// The real-Xen lab's wires, as pure frame logic (lab/xen/fabric.ts), and its address plan: a
// segment is one Ethernet (802.1Q tags included) that no frame leaves, and the router between
// segments answers ARP for each gateway and forwards IPv4 with its TTL and checksum updated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fabric, ipv4Checksum } from '../../lab/xen/fabric.js';
import { planXenLab, checkXenLabShape } from '../../lab/xen/xen-plan.js';
import { parseProbeOutput, probeScript } from '../../lab/xen/traffic.js';

const mac = (s: string) => Buffer.from(s.split(':').map((x) => parseInt(x, 16)));
const ip = (s: string) => Buffer.from(s.split('.').map(Number));
const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';
const C = '02:00:00:00:00:0c';
const R1 = '02:18:00:00:00:01';
const R2 = '02:18:00:00:00:02';

function fabric(): Fabric {
  return new Fabric({
    segments: [
      { name: 's1', subnet: '198.18.1.0/24', gateway: '198.18.1.1', routerMac: R1 },
      { name: 's2', subnet: '198.18.2.0/24', gateway: '198.18.2.1', routerMac: R2 },
    ],
    ports: [
      { id: 1, segment: 's1' },
      { id: 2, segment: 's2' },
      { id: 3, segment: 's1' },
    ],
  });
}

function ether(dst: string, src: string, type: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(14);
  mac(dst).copy(h, 0);
  mac(src).copy(h, 6);
  h.writeUInt16BE(type, 12);
  return Buffer.concat([h, payload]);
}

function arp(op: number, senderMac: string, senderIp: string, targetIp: string, targetMac = '00:00:00:00:00:00'): Buffer {
  const p = Buffer.alloc(28);
  p.writeUInt16BE(1, 0);
  p.writeUInt16BE(0x0800, 2);
  p[4] = 6;
  p[5] = 4;
  p.writeUInt16BE(op, 6);
  mac(senderMac).copy(p, 8);
  ip(senderIp).copy(p, 14);
  mac(targetMac).copy(p, 18);
  ip(targetIp).copy(p, 24);
  return p;
}

function ipv4(src: string, dst: string, ttl = 64): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(28, 2);
  h[8] = ttl;
  h[9] = 1;
  ip(src).copy(h, 12);
  ip(dst).copy(h, 16);
  h.writeUInt16BE(ipv4Checksum(h), 10);
  return Buffer.concat([h, Buffer.alloc(8)]);
}

test('a segment is one Ethernet: broadcasts flood its other ports only, learnt MACs go straight, tags pass', () => {
  const f = fabric();
  const bcast = ether('ff:ff:ff:ff:ff:ff', A, 0x0806, arp(1, A, '198.18.1.11', '198.18.1.13'));
  assert.deepEqual(
    f.receive(1, bcast).map((e) => e.port),
    [3],
    'h1 in s1 reaches h3 in s1, never h2 in s2',
  );
  // 802.1Q: the tag is payload to the switch, so it arrives as sent.
  const tagged = Buffer.concat([mac(A), mac(C), Buffer.from([0x81, 0x00, 0x0e, 0x88, 0x08, 0x00]), Buffer.alloc(30)]);
  const out = f.receive(3, tagged);
  assert.deepEqual(
    out.map((e) => e.port),
    [1],
    'A was learnt on port 1',
  );
  assert.ok(out[0].frame.equals(tagged));
  // A unicast to a MAC of the other segment is not delivered across.
  f.receive(2, ether('ff:ff:ff:ff:ff:ff', B, 0x0806, arp(1, B, '198.18.2.11', '198.18.2.99')));
  assert.deepEqual(
    f.receive(1, ether(B, A, 0x0800, ipv4('198.18.1.11', '198.18.2.11'))).map((e) => e.port),
    [3],
  );
});

test('the router answers ARP for each gateway and forwards IPv4 between segments, TTL and checksum updated', () => {
  const f = fabric();
  const who = f.receive(1, ether('ff:ff:ff:ff:ff:ff', A, 0x0806, arp(1, A, '198.18.1.11', '198.18.1.1')));
  const reply = who.find((e) => e.frame.readUInt16BE(20) === 2);
  assert.ok(reply, 'an ARP reply');
  assert.equal(reply.port, 1);
  assert.ok(reply.frame.subarray(22, 28).equals(mac(R1)), 'the gateway is at the router MAC');
  // To 198.18.2.11, whose MAC the router does not know yet: it asks in s2 and holds the packet.
  const asked = f.receive(1, ether(R1, A, 0x0800, ipv4('198.18.1.11', '198.18.2.11')));
  assert.deepEqual(
    asked.map((e) => e.port),
    [2],
  );
  assert.equal(asked[0].frame.readUInt16BE(20), 1);
  assert.ok(asked[0].frame.subarray(38, 42).equals(ip('198.18.2.11')));
  // B answers: the held packet goes to B, from the router's s2 MAC, TTL 63, checksum valid.
  const sent = f.receive(2, ether(R2, B, 0x0806, arp(2, B, '198.18.2.11', '198.18.2.1', R2)));
  assert.equal(sent.length, 1);
  const p = sent[0].frame;
  assert.equal(sent[0].port, 2);
  assert.ok(p.subarray(0, 6).equals(mac(B)) && p.subarray(6, 12).equals(mac(R2)));
  assert.equal(p[22], 63);
  assert.equal(p.readUInt16BE(24), ipv4Checksum(p.subarray(14, 34)));
  // Known now: the next one goes at once; one with TTL 1 dies; an address of no segment is dropped.
  assert.deepEqual(
    f.receive(1, ether(R1, A, 0x0800, ipv4('198.18.1.11', '198.18.2.11'))).map((e) => e.port),
    [2],
  );
  assert.deepEqual(f.receive(1, ether(R1, A, 0x0800, ipv4('198.18.1.11', '198.18.2.11', 1))), []);
  assert.deepEqual(f.receive(1, ether(R1, A, 0x0800, ipv4('198.18.1.11', '198.19.9.9'))), []);
});

test('the real-Xen address plan: the namespace lab addresses, ports on 127.0.0.1 unique per slot', () => {
  const a = planXenLab('x', 0, 3, 2);
  assert.deepEqual(
    a.hosts.map((h) => `${h.name} ${h.segment} ${h.address}`),
    ['h1 s1 198.18.1.11', 'h2 s2 198.18.2.11', 'h3 s1 198.18.1.12'],
  );
  const b = planXenLab('y', 1, 6, 3);
  const ports = [a, b].flatMap((p) => [p.hubPort, ...p.hosts.flatMap((h) => [h.fabricUdp, h.sshPort])]);
  assert.equal(new Set(ports).size, ports.length);
  assert.equal(new Set(b.hosts.map((h) => h.fabricMac)).size, 6);
  assert.match(checkXenLabShape(7, 1) ?? '', /1\.\.6 hosts/);
  assert.equal(checkXenLabShape(3, 2), undefined);
});

test('a guest probe job answers each probe by its index; a missing answer is an error, not a pass', () => {
  const script = probeScript([
    { from: 'a', to: 'b', toIp: '198.19.1.12', fromTvd: 'r', toTvd: 'r', probe: 'icmp', expected: true },
    { from: 'a', to: 'b', toIp: '198.19.1.12', fromTvd: 'r', toTvd: 'r', probe: 'tcp/8080', expected: true },
  ]);
  assert.match(script, /ping -c 2 -W 2 198\.19\.1\.12/);
  assert.match(script, /nc -w 3 198\.19\.1\.12 8080/);
  assert.deepEqual(parseProbeOutput('boot noise\n1 refused\n0 ok\n', 2), ['ok', 'refused']);
  assert.throws(() => parseProbeOutput('0 ok\n', 2), /probe 1 gave no answer/);
  assert.throws(
    () => probeScript([{ from: 'a', to: 'b', toIp: '1.2.3.4; reboot', fromTvd: 'r', toTvd: 'r', probe: 'icmp', expected: true }]),
    /not an IPv4/,
  );
});
