// A failure to reach or use one host, phrased for the user: `host h2 (198.18.0.12:22): connection refused`.
import { UserError } from '../topology/diagnostic.js';

export class HostError extends UserError {
  /** The host answered with a key known_hosts does not allow: never a mere "unreachable" (--skip-unreachable). */
  hostKeyRefused = false;

  constructor(
    /** The host's name in the topology. */
    readonly host: string,
    /** Where it was reached, `address:port`. */
    readonly endpoint: string,
    /** What went wrong, without the host prefix. */
    readonly reason: string,
  ) {
    super(`host ${host} (${endpoint}): ${reason}`);
    this.name = 'HostError';
  }
}
