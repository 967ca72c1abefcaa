// One SSH connection per host for the whole command: refresh and apply share it.
import type { Topology } from '../topology/schema.js';
import { connectHost, type ConnectOptions, type HostConnection } from './session.js';

export class ConnectionPool {
  private readonly open = new Map<string, Promise<HostConnection>>();

  constructor(
    private readonly topology: Topology,
    private readonly options: ConnectOptions,
  ) {}

  connect(host: string): Promise<HostConnection> {
    let c = this.open.get(host);
    if (!c) {
      const spec = this.topology.hosts?.[host];
      if (!spec) return Promise.reject(new Error(`host ${host} is not in the topology`));
      c = connectHost({ name: host, address: spec.address, port: spec.port, user: spec.user }, this.options);
      // A failed connect is not cached: a later call may try again.
      c.catch(() => this.open.delete(host));
      this.open.set(host, c);
    }
    return c;
  }

  /**
   * Starts connecting to these hosts without waiting, so that the handshakes overlap with work
   * still to do. A failure here is reported by the later connect(), which tries again.
   */
  warm(hosts: string[]): void {
    for (const h of hosts) this.connect(h).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((c) => c.then((x) => x.close()).catch(() => undefined)));
  }
}
