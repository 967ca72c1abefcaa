// The one wait for a lab host's sshd: until it sends its banner (it then takes connections).
// Everything that starts or restarts an sshd waits here, rather than retrying its own command on
// "connection refused".
import { connect } from 'node:net';

/** Resolves once the sshd at h.address:h.port sends its banner; rejects after timeoutMs. */
export function waitForSsh(h: { name: string; address: string; port: number }, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolveReady, reject) => {
    const attempt = () => {
      const sock = connect({ host: h.address, port: h.port });
      // A SYN into a link that is still coming up can wait minutes for the kernel's own timeout.
      sock.setTimeout(1000, () => sock.destroy(new Error('timeout')));
      sock.once('data', () => {
        sock.destroy();
        resolveReady();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`sshd of host ${h.name} (${h.address}:${h.port}) did not answer`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}
