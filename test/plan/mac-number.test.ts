// macToNumber reads MACs digit by digit (it runs for every NIC the state records); it must give
// what the plain definition gives, parseInt of the hex digits, for any input, even malformed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { macToNumber, numberToMac } from '../../src/plan/mac-address.js';

const plain = (mac: string) => parseInt(mac.replace(/:/g, ''), 16);

test('macToNumber equals parseInt of the digits, on 20,000 seeded MACs and malformed ones', () => {
  const cases = [
    '00:16:3e:00:00:01',
    'FF:ff:AB:cd:EF:09',
    '00:16:3e:7f:ff:ff',
    '0016:3e:00:00:01',
    '00:16:3g:00:00:01',
    'zz:16:3e:00:00:01',
    '',
    '00-16-3e-00-00-01',
    '00:16:3e:00:00:0',
    '00:16:3e:00:00:012',
    ':0:16:3e:00:00:0',
  ];
  let s = 1;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 20_000; i++) {
    const octets = Array.from({ length: 6 }, () =>
      Math.floor(rnd() * 256)
        .toString(16)
        .padStart(2, '0'),
    );
    cases.push(octets.join(rnd() < 0.9 ? ':' : '-').replace(/[a-f]/g, (c) => (rnd() < 0.5 ? c.toUpperCase() : c)));
  }
  for (const mac of cases) assert.ok(Object.is(macToNumber(mac), plain(mac)), mac);
  for (let n = 0x00163e000000; n < 0x00163e000000 + 5000; n += 7) assert.equal(macToNumber(numberToMac(n)), n);
});
