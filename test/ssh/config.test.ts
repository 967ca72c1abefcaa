// ssh config resolution on a sample file: HostName, Port, User, IdentityFile, ProxyJump.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSshConfig, parseProxyJump, resolveHost } from '../../src/ssh/config.js';

const SAMPLE = `
# an alias per host, as people write them
Host host-a
  HostName 198.18.9.11
  Port 2222
  IdentityFile ~/.ssh/host_a
  ProxyJump ops@bastion:2200

host host-b
  user deploy

Host 198.18.0.*
  User admin
  IdentityFile ~/.ssh/lab_%h

Host bastion
  HostName 198.18.9.1

Host *
  IdentityFile ~/.ssh/all
`;

const cfg = parseSshConfig(SAMPLE);
const HOME = '/home/u';

test('an alias block supplies HostName, Port, IdentityFile and ProxyJump', () => {
  const r = resolveHost(cfg, { name: 'host-a', address: '198.18.0.11' }, HOME);
  assert.equal(r.hostName, '198.18.9.11');
  assert.equal(r.port, 2222);
  assert.equal(r.user, 'admin', 'the address block still applies where the alias is silent');
  assert.deepEqual(r.identityFiles, ['/home/u/.ssh/host_a', '/home/u/.ssh/all', '/home/u/.ssh/lab_198.18.9.11']);
  assert.deepEqual(r.proxyJump, [{ host: 'bastion', port: 2200, user: 'ops' }]);
});

test('the topology port and user win; defaults are 22 and root', () => {
  const r = resolveHost(cfg, { name: 'host-a', address: '198.18.0.11', port: 22, user: 'root' }, HOME);
  assert.equal(r.port, 22);
  assert.equal(r.user, 'root');
  const plain = resolveHost(cfg, { name: 'host-c', address: '203.0.113.1' }, HOME);
  assert.deepEqual(
    { hostName: plain.hostName, port: plain.port, user: plain.user, jump: plain.proxyJump },
    { hostName: '203.0.113.1', port: 22, user: 'root', jump: [] },
  );
  const none = resolveHost(undefined, { name: 'host-c', address: '203.0.113.1' }, HOME);
  assert.deepEqual(none.identityFiles, []);
});

test('keywords are case-insensitive', () => {
  const r = resolveHost(cfg, { name: 'host-b', address: '203.0.113.2' }, HOME);
  assert.equal(r.user, 'deploy');
});

test('ProxyJump forms', () => {
  assert.deepEqual(parseProxyJump('none'), []);
  assert.deepEqual(parseProxyJump('a,u@b:2,ssh://c@[198.18.0.1]:3'), [
    { host: 'a', port: undefined, user: undefined },
    { host: 'b', port: 2, user: 'u' },
    { host: '198.18.0.1', port: 3, user: 'c' },
  ]);
});
