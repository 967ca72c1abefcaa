// What to do with a presented host key: accept, record (trustNewHosts), or refuse with a message
// that tells the user how to trust the host after checking its fingerprint. Pure.
import {
  checkHostKey,
  entriesFor,
  fingerprint,
  formatKnownHostsLine,
  keyTypeLabel,
  keyscanType,
  knownHostsName,
  type KnownHostEntry,
} from './known-hosts.js';
import { shWord } from '../shell/quote.js';

export type HostKeyDecision = { action: 'accept' } | { action: 'record'; line: string } | { action: 'refuse'; reason: string };

export interface HostKeyContext {
  entries: KnownHostEntry[];
  knownHostsPath: string;
  /** The address connected to (after ssh config HostName) and its port: what known_hosts lists. */
  address: string;
  port: number;
  keyType: string;
  keyBlob: Buffer;
  trustNewHosts: boolean;
}

export function decideHostKey(c: HostKeyContext): HostKeyDecision {
  const verdict = checkHostKey(c.entries, c.address, c.port, c.keyType, c.keyBlob);
  const fp = `${keyTypeLabel(c.keyType)} key ${fingerprint(c.keyBlob)}`;
  const file = shWord(c.knownHostsPath);
  const keyscan = `ssh-keyscan -p ${c.port} -t ${keyscanType(c.keyType)} ${c.address} >> ${file}`;
  switch (verdict) {
    case 'trusted':
      return { action: 'accept' };
    case 'unknown':
      if (c.trustNewHosts) return { action: 'record', line: formatKnownHostsLine(c.address, c.port, c.keyType, c.keyBlob) };
      return {
        action: 'refuse',
        reason:
          `host key is not known (${fp}, not in ${c.knownHostsPath}). ` +
          `Check that fingerprint with the host's administrator (on the host: ssh-keygen -lf /etc/ssh/ssh_host_${keyscanType(c.keyType)}_key.pub), ` +
          `then trust it with: ${keyscan}  (or run again with --trust-new-hosts)`,
      };
    case 'changed': {
      const old = entriesFor(c.entries, c.address, c.port).filter((e) => e.keyType === c.keyType);
      const where = old.map((e) => `${c.knownHostsPath}:${e.line} (${fingerprint(e.key)})`).join(', ');
      return {
        action: 'refuse',
        reason:
          `host key changed: it now offers ${fp}, but ${where} says otherwise. ` +
          `Someone may be intercepting the connection, or the host was reinstalled. ` +
          `If the new key is legitimate, remove the old entry with: ssh-keygen -R ${shWord(knownHostsName(c.address, c.port))} -f ${file} ; ` +
          `then check the new fingerprint and add it with: ${keyscan}`,
      };
    }
    case 'revoked':
      return {
        action: 'refuse',
        reason: `host key is revoked (${fp} is marked @revoked in ${c.knownHostsPath}); refusing to connect`,
      };
  }
}
