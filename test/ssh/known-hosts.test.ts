// known_hosts parsing and the trust decision, on entries written by OpenSSH's own tools.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHostKey, fingerprint, parseKnownHosts, hostMatches, formatKnownHostsLine } from '../../src/ssh/known-hosts.js';
import { decideHostKey } from '../../src/ssh/host-key-policy.js';

const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIAY9S4H/OQ5rEaASNK8s8PbIkTOYUkwROhDBSiGi/TNt';
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIKrK2+qQPMFIQpzAj2RN0BWXZ7MemTBWpOvzt7pOAa71';
const k1 = Buffer.from(K1, 'base64');
const k2 = Buffer.from(K2, 'base64');
const ED = 'ssh-ed25519';

// Written by `ssh-keygen -H` from "198.18.0.11 K1" and "[198.18.0.12]:2222 K1".
const HASHED = `|1|cAJF2Zipn+h5QaHpe6jmKLGdvOk=|CF/5/eoGF6YX1WuE/Sjw6sfenzs= ssh-ed25519 ${K1}
|1|GgNQx4UC1PxxsbEeL5Gi7bwvQnA=|wUG//uzFEm4Ztmjiy/YHxZbWwl0= ssh-ed25519 ${K1}
`;

test('fingerprint matches ssh-keygen -l', () => {
  assert.equal(fingerprint(k1), 'SHA256:dleBNZ7aCSEmqqNaGPkEiUpMRQRm6kiDCuLWLgR7xGY');
});

test('plain names, comma lists and [host]:port', () => {
  const e = parseKnownHosts(`# comment\n\nh1,198.18.0.11 ${ED} ${K1} root@x\n[198.18.0.12]:2222 ${ED} ${K1}\n`);
  assert.equal(e.length, 2);
  assert.equal(checkHostKey(e, '198.18.0.11', 22, ED, k1), 'trusted');
  assert.equal(checkHostKey(e, 'h1', 22, ED, k1), 'trusted');
  assert.equal(checkHostKey(e, '198.18.0.11', 22, ED, k2), 'changed');
  assert.equal(checkHostKey(e, '198.18.0.11', 2222, ED, k1), 'unknown', 'a port other than 22 needs a [host]:port entry');
  assert.equal(checkHostKey(e, '198.18.0.12', 2222, ED, k1), 'trusted');
  assert.equal(checkHostKey(e, '198.18.0.12', 22, ED, k1), 'unknown');
  assert.equal(checkHostKey(e, '198.18.0.13', 22, ED, k1), 'unknown');
  assert.equal(checkHostKey(e, '198.18.0.11', 22, 'ecdsa-sha2-nistp256', Buffer.from('x')), 'unknown', 'another key type is not a change');
});

test('hashed entries match their name and port only', () => {
  const e = parseKnownHosts(HASHED);
  assert.equal(e.length, 2);
  assert.equal(checkHostKey(e, '198.18.0.11', 22, ED, k1), 'trusted');
  assert.equal(checkHostKey(e, '198.18.0.12', 2222, ED, k1), 'trusted');
  assert.equal(checkHostKey(e, '198.18.0.11', 22, ED, k2), 'changed');
  assert.equal(checkHostKey(e, '198.18.0.11', 2222, ED, k1), 'unknown');
  assert.equal(checkHostKey(e, '198.18.0.111', 22, ED, k1), 'unknown');
});

test('@revoked wins over a trusting line; @cert-authority is ignored', () => {
  const e = parseKnownHosts(`198.18.0.11 ${ED} ${K1}\n@revoked * ${ED} ${K1}\n@cert-authority *.lab ${ED} ${K2}\n`);
  assert.equal(checkHostKey(e, '198.18.0.11', 22, ED, k1), 'revoked');
  assert.equal(checkHostKey(e, 'a.lab', 22, ED, k2), 'unknown');
});

test('wildcards and negation', () => {
  assert.ok(hostMatches('198.18.0.*', '198.18.0.7'));
  assert.ok(!hostMatches('198.18.0.*,!198.18.0.7', '198.18.0.7'));
  assert.ok(hostMatches('host-?', 'host-a'));
  assert.ok(!hostMatches('host-?', 'host-ab'));
});

test('corrupt lines are skipped', () => {
  const e = parseKnownHosts(`198.18.0.11 ${ED}\n198.18.0.11 ssh-rsa ${K1}\n@bogus x ${ED} ${K1}\n`);
  assert.equal(e.length, 0);
});

test('refusals say how to trust; trustNewHosts records only unknown keys', () => {
  const base = { knownHostsPath: '/tmp/kh', address: '198.18.0.11', port: 2222, keyType: ED, trustNewHosts: false };
  const unknown = decideHostKey({ ...base, entries: [], keyBlob: k1 });
  assert.equal(unknown.action, 'refuse');
  assert.match((unknown as { reason: string }).reason, /not known \(ED25519 key SHA256:dleBNZ7aCSEmqqNaGPkEiUpMRQRm6kiDCuLWLgR7xGY/);
  assert.match((unknown as { reason: string }).reason, /ssh-keyscan -p 2222 -t ed25519 198\.18\.0\.11 >> \/tmp\/kh/);
  const rec = decideHostKey({ ...base, trustNewHosts: true, entries: [], keyBlob: k1 });
  assert.deepEqual(rec, { action: 'record', line: formatKnownHostsLine('198.18.0.11', 2222, ED, k1) });
  assert.equal(formatKnownHostsLine('198.18.0.11', 2222, ED, k1), `[198.18.0.11]:2222 ${ED} ${K1}\n`);
  const entries = parseKnownHosts(`[198.18.0.11]:2222 ${ED} ${K1}\n`);
  const changed = decideHostKey({ ...base, trustNewHosts: true, entries, keyBlob: k2 });
  assert.equal(changed.action, 'refuse');
  assert.match(
    (changed as { reason: string }).reason,
    /host key changed.*\/tmp\/kh:1.*ssh-keygen -R '\[198\.18\.0\.11\]:2222' -f \/tmp\/kh/,
  );
  const revoked = decideHostKey({ ...base, trustNewHosts: true, entries: parseKnownHosts(`@revoked * ${ED} ${K1}\n`), keyBlob: k1 });
  assert.equal(revoked.action, 'refuse');
  assert.match((revoked as { reason: string }).reason, /revoked/);
});
