// OpenSSH known_hosts: parsing and the trust decision for one presented host key. Pure.
// Format (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"): [@marker] patterns keytype base64-key [comment].
// Patterns are comma lists with `*`, `?` and `!` negation, `[host]:port` for ports other than 22,
// or one hashed name `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`.
import { createHash, createHmac } from 'node:crypto';

export interface KnownHostEntry {
  /** 1-based line in the file, for messages. */
  line: number;
  /** `revoked`: never accept this key. `cert-authority` entries are parsed but not supported (ignored). */
  marker?: 'revoked' | 'cert-authority';
  /** The raw host field: a comma list of patterns, or one hashed `|1|…|…` name. */
  hosts: string;
  keyType: string;
  key: Buffer;
}

export type HostKeyVerdict = 'trusted' | 'unknown' | 'changed' | 'revoked';

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else continue; // an unknown marker: OpenSSH skips the line too
    }
    if (fields.length < 3) continue;
    const [hosts, keyType, b64] = fields;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) continue;
    const key = Buffer.from(b64, 'base64');
    // The blob starts with its own type; a line whose blob disagrees is corrupt and is skipped.
    if (blobKeyType(key) !== keyType) continue;
    entries.push({ line: i + 1, marker, hosts, keyType, key });
  }
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase(); // as OpenSSH looks names up
  return port === 22 ? h : `[${h}]:${port}`;
}

export function hostMatches(hostsField: string, name: string): boolean {
  if (hostsField.startsWith('|1|')) {
    const [, , salt, hash] = hostsField.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const pattern of hostsField.split(',')) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (globMatch(p.toLowerCase(), name.toLowerCase())) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function globMatch(pattern: string, s: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  return re.test(s);
}

/**
 * The decision OpenSSH makes with StrictHostKeyChecking=yes: a revoked key is refused whatever
 * else the file says; a listed key is trusted; another key of the same type for this name is a
 * change; anything else is unknown.
 */
export function checkHostKey(entries: KnownHostEntry[], host: string, port: number, keyType: string, keyBlob: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const mine = entries.filter((e) => e.marker !== 'cert-authority' && hostMatches(e.hosts, name));
  if (mine.some((e) => e.marker === 'revoked' && e.key.equals(keyBlob))) return 'revoked';
  const plain = mine.filter((e) => e.marker === undefined);
  if (plain.some((e) => e.key.equals(keyBlob))) return 'trusted';
  if (plain.some((e) => e.keyType === keyType)) return 'changed';
  return 'unknown';
}

/** The known (non-revoked) entries for a name, e.g. to prefer their key types in the handshake. */
export function entriesFor(entries: KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  const name = knownHostsName(host, port);
  return entries.filter((e) => e.marker === undefined && hostMatches(e.hosts, name));
}

/** The key type stored at the start of an SSH public key blob (RFC 4253, 6.6). */
export function blobKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || blob.length < 4 + len) return undefined;
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** `SHA256:…` as `ssh-keygen -l` and ssh print it: base64 without padding. */
export function fingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** `ED25519`, `ECDSA`, `RSA`: how OpenSSH names a key type in its messages. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-sha2-')) return 'ECDSA';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType === 'ssh-dss') return 'DSA';
  return keyType;
}

/** The `-t` argument of ssh-keyscan for a key type. */
export function keyscanType(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ed25519';
  if (keyType.startsWith('ecdsa-sha2-')) return 'ecdsa';
  if (keyType === 'ssh-rsa') return 'rsa';
  return keyType;
}

/** One known_hosts line (plain name, as `ssh-keyscan` writes it) for a key. */
export function formatKnownHostsLine(host: string, port: number, keyType: string, keyBlob: Buffer): string {
  return `${knownHostsName(host, port)} ${keyType} ${keyBlob.toString('base64')}\n`;
}
