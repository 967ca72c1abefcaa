import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  firstHost,
  formatCidr,
  hostCount,
  intToIp,
  ipInSubnet,
  ipToInt,
  isNetworkAddress,
  lastHost,
  parseCidr,
  prefixMask,
  subnetsOverlap,
} from '../../src/topology/cidr.js';

test('ipToInt and intToIp round-trip, including the ends of the range', () => {
  for (const ip of ['0.0.0.0', '255.255.255.255', '198.19.1.10', '10.0.0.1', '128.0.0.0']) {
    assert.equal(intToIp(ipToInt(ip)!), ip);
  }
  assert.equal(ipToInt('198.19.1.10'), 198 * 2 ** 24 + 19 * 2 ** 16 + 1 * 256 + 10);
  assert.equal(ipToInt('255.255.255.255'), 0xffffffff);
});

test('ipToInt refuses what is not a dotted quad', () => {
  for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-1', 'a.b.c.d', '1.2.3.4 ', '2001:db8::1']) {
    assert.equal(ipToInt(bad), undefined, bad);
  }
});

test('prefixMask covers /0 and /32', () => {
  assert.equal(prefixMask(0), 0);
  assert.equal(prefixMask(32), 0xffffffff);
  assert.equal(intToIp(prefixMask(24)), '255.255.255.0');
  assert.equal(intToIp(prefixMask(1)), '128.0.0.0');
});

test('parseCidr gives network and broadcast, keeping the address as written', () => {
  const c = parseCidr('198.19.1.7/24')!;
  assert.equal(intToIp(c.network), '198.19.1.0');
  assert.equal(intToIp(c.broadcast), '198.19.1.255');
  assert.equal(intToIp(c.address), '198.19.1.7');
  assert.equal(isNetworkAddress(c), false);
  assert.equal(isNetworkAddress(parseCidr('198.19.1.0/24')!), true);
  assert.equal(formatCidr(c), '198.19.1.0/24');
  const all = parseCidr('0.0.0.0/0')!;
  assert.equal(all.network, 0);
  assert.equal(all.broadcast, 0xffffffff);
  const one = parseCidr('198.19.1.1/32')!;
  assert.equal(one.network, one.broadcast);
  for (const bad of ['198.19.1.0', '198.19.1.0/33', '198.19.1.0/', '198.19.1/24', '198.19.1.0/024x', 'x/24']) {
    assert.equal(parseCidr(bad), undefined, bad);
  }
});

test('ipInSubnet includes both ends and nothing outside', () => {
  assert.equal(ipInSubnet('198.19.1.0', '198.19.1.0/24'), true);
  assert.equal(ipInSubnet('198.19.1.255', '198.19.1.0/24'), true);
  assert.equal(ipInSubnet('198.19.2.0', '198.19.1.0/24'), false);
  assert.equal(ipInSubnet('198.19.0.255', '198.19.1.0/24'), false);
  assert.equal(ipInSubnet(ipToInt('198.19.1.9')!, parseCidr('198.19.1.8/30')!), true);
  assert.equal(ipInSubnet('1.2.3.4', '0.0.0.0/0'), true);
  assert.equal(ipInSubnet('nonsense', '0.0.0.0/0'), false);
});

test('subnetsOverlap: containment, adjacency, identity', () => {
  assert.equal(subnetsOverlap('198.19.0.0/16', '198.19.5.0/24'), true);
  assert.equal(subnetsOverlap('198.19.5.0/24', '198.19.0.0/16'), true);
  assert.equal(subnetsOverlap('198.19.1.0/24', '198.19.1.0/24'), true);
  assert.equal(subnetsOverlap('198.19.1.0/25', '198.19.1.128/25'), false);
  assert.equal(subnetsOverlap('198.19.1.0/24', '198.19.2.0/24'), false);
  assert.equal(subnetsOverlap('0.0.0.0/0', '255.255.255.255/32'), true);
});

test('firstHost, lastHost and hostCount', () => {
  const c = parseCidr('198.19.1.0/24')!;
  assert.equal(intToIp(firstHost(c)!), '198.19.1.1');
  assert.equal(intToIp(lastHost(c)!), '198.19.1.254');
  assert.equal(hostCount(c), 254);
  assert.equal(hostCount(parseCidr('198.19.1.0/30')!), 2);
  assert.equal(firstHost(parseCidr('198.19.1.0/31')!), undefined);
  assert.equal(hostCount(parseCidr('198.19.1.0/32')!), 0);
});
