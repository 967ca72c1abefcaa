// What `tvd init` does; its arguments and options are in commands/init.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError } from '../../errors/user-error.js';
import { INSTALLED_SCHEMA } from '../package-files.js';

export interface InitOptions {
  schema?: string;
  force?: boolean;
}

export function modeline(schema: string): string {
  return `# yaml-language-server: $schema=${schema}`;
}

/** Where the modeline points from DIR: a URL as given, else a path relative to DIR. */
export function schemaRef(dir: string, schema = INSTALLED_SCHEMA): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(schema)) return schema;
  const rel = relative(dir, schema).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

export function starterTopology(schema: string): string {
  return `${modeline(schema)}
# A starter topology for tvd. Hover a key in your editor for its meaning; \`tvd validate\` checks it.
# Two TVDs on one Xen host: \`web\` may reach \`db\` on PostgreSQL's port only.
version: 1

defaults:
  flow: closed            # TVDs that no flow names cannot talk (open | closed)
  encapsulation: vxlan    # how a TVD crosses hosts that share no VLAN

tvds:
  web:
    description: Front ends
    subnet: 198.19.20.0/24
  db:
    description: Databases
    subnet: 198.19.22.0/24

flows:
  - from: web
    to: db
    connection: controlled   # open | closed | controlled
    allow:
      - { proto: tcp, port: 5432 }
      - { proto: icmp }

hosts:
  host-a:
    address: 198.18.0.11     # where SSH reaches the Dom0
    user: root
    uplink: eth0             # the Dom0 NIC that carries TVD traffic to other hosts

vms:
  web-1:
    host: host-a
    memory: 512              # MiB
    start: true
    nics: [{ tvd: web, ip: 198.19.20.10 }]
  db-1:
    host: host-a
    memory: 1024
    start: true
    nics: [{ tvd: db, ip: 198.19.22.10 }]
`;
}

export function run(dir: string, o: InitOptions): void {
  const file = join(dir, 'topology.yaml');
  if (existsSync(file) && !o.force) throw new UserError(`${file} exists; pass --force to overwrite it`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, starterTopology(schemaRef(dir, o.schema)));
  } catch (err) {
    throw new UserError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  process.stdout.write(`Wrote ${file}. Next:\n  tvd validate ${file}\n  tvd graph ${file} --matrix\n  tvd plan ${file}\n`);
}
