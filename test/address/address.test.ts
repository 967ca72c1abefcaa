// Resource addresses (src/address/address.ts): what addressKey prints parseAddress reads back,
// the partial forms of --target and `tvd state rm`, what a partial form names, and text that
// is no address refused with a message that names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  actionAddress,
  addressKey,
  compareAddresses,
  matchesAddress,
  parseAddress,
  parsePartialAddress,
  RESOURCE_TYPES,
  type Address,
} from '../../src/address/address.js';

const transit = `${'a'.repeat(32)}--${'b'.repeat(32)}`; // the longest name a planner makes: two TVD names joined

test('print, then parse: the same address, for every type and the longest names', () => {
  const all: Address[] = [
    ...RESOURCE_TYPES.map((type) => ({ host: 'h1', type, name: 'web' })),
    { host: 'host-a', type: 'transit', name: transit },
    { host: 'h'.repeat(32), type: 'vm', name: 'v'.repeat(80) },
  ];
  for (const a of all) {
    const text = addressKey(a);
    assert.deepEqual(parseAddress(text), a, text);
    assert.equal(addressKey(parseAddress(text)), text);
    assert.equal(actionAddress({ host: a.host, resource: { type: a.type, name: a.name } }), text);
  }
});

test('the partial forms: a host, a host and a type, one address', () => {
  assert.deepEqual(parsePartialAddress('h1'), { host: 'h1' });
  assert.deepEqual(parsePartialAddress('h1/vm'), { host: 'h1', type: 'vm' });
  assert.deepEqual(parsePartialAddress('h1/vm/web'), { host: 'h1', type: 'vm', name: 'web' });
  assert.deepEqual(parsePartialAddress(`h1/transit/${transit}`), { host: 'h1', type: 'transit', name: transit });
});

test('what a partial form names: its host, then its type and name where it gives them', () => {
  const web: Address = { host: 'h1', type: 'vm', name: 'web' };
  const on = (text: string, a: Address) => {
    const p = parsePartialAddress(text);
    assert.ok(!('error' in p), text);
    return matchesAddress(p, a);
  };
  assert.ok(on('h1', web));
  assert.ok(on('h1/vm', web));
  assert.ok(on('h1/vm/web', web));
  assert.ok(!on('h2', web));
  assert.ok(!on('h1/vswitch', web));
  assert.ok(!on('h1/vm/db', web));
  assert.ok(!on('h1/vswitch/web', web));
  // A host whose name starts another's is not that host (the old `startsWith(host + '/')` test held too).
  assert.ok(!on('h1', { host: 'h10', type: 'vm', name: 'web' }));
});

test('text that is no address is refused, the message naming the text and what to give', () => {
  for (const bad of ['', 'h1', 'h1/vm', 'h1/vm/', 'h1//web', 'h1/vm/web/x', 'H1/vm/web', 'h1/vm/Web', '../vm/x', 'h1/vm/we b']) {
    assert.throws(
      () => parseAddress(bad),
      { message: `${JSON.stringify(bad)} is not a resource address: give host/type/name (h1/vm/web)` },
      bad,
    );
  }
  assert.throws(
    () => parseAddress('h1/bogus/x'),
    /^Error: "h1\/bogus\/x" is not a resource address: bogus is not a resource type \(proxy, vswitch, vlan, wireguard, encap, firewall, transit, vm\)$/,
  );
  assert.throws(() => parseAddress(`${'h'.repeat(33)}/vm/web`), /is not a resource address/);
  assert.throws(() => parseAddress(`h1/vm/${'v'.repeat(81)}`), /is not a resource address/);
});

test('a partial form that is none says so in the words of --target', () => {
  const form = 'give a host (h1), a host and a type (h1/vm) or an address (h1/vm/web)';
  for (const bad of ['', 'H1', 'h1/', 'h1//web', 'h1/vm/', 'h1/vm/web/x', '../x', 'h1/vm/Web']) {
    assert.deepEqual(parsePartialAddress(bad), { error: `${JSON.stringify(bad)} is not a target: ${form}` }, bad);
  }
  assert.deepEqual(parsePartialAddress('h1/bogus'), {
    error: '"h1/bogus" is not a target: bogus is not a resource type (proxy, vswitch, vlan, wireguard, encap, firewall, transit, vm)',
  });
});

test('the order of plans and states: host, then apply order of the type, then name', () => {
  const list = ['h2/proxy/h2', 'h1/vm/b', 'h1/vm/a', 'h1/vswitch/x', 'h1/proxy/h1'].map(parseAddress);
  assert.deepEqual(list.sort(compareAddresses).map(addressKey), ['h1/proxy/h1', 'h1/vswitch/x', 'h1/vm/a', 'h1/vm/b', 'h2/proxy/h2']);
});
