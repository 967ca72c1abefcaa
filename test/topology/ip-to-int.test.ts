// ipToInt reads addresses character by character; it must accept and refuse exactly what the
// plain definition does (four parts split on '.', each a decimal octet without leading zeros).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipToInt } from '../../src/topology/cidr.js';

const OCTET = /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;
function plain(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

test('ipToInt equals the split-and-regex definition on seeded strings near and far from addresses', () => {
  const cases = [
    '198.19.1.10',
    '0.0.0.0',
    '255.255.255.255',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3',
    '1.2.3.4.5',
    '1..2.3',
    '.1.2.3',
    '1.2.3.',
    '1.2.3.4\n',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.0004',
    '1.2.3.-1',
    '1.2.3.+1',
    '1.2.3.1e2',
    '１.2.3.4',
    '',
    '....',
    '100.200.250.199',
    '1.2.3.00',
    '999.1.1.1',
    '1.2.3.4/24',
  ];
  let s = 7;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = '0123456789.0123456789..a -/';
  for (let i = 0; i < 30_000; i++) {
    if (rnd() < 0.5) {
      const octet = () => (rnd() < 0.1 ? '0' + Math.floor(rnd() * 30) : String(Math.floor(rnd() * 300)));
      cases.push(Array.from({ length: 3 + Math.floor(rnd() * 3) }, octet).join('.'));
    } else {
      cases.push(Array.from({ length: Math.floor(rnd() * 18) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
    }
  }
  for (const ip of cases) assert.equal(ipToInt(ip), plain(ip), JSON.stringify(ip));
});
