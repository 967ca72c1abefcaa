// The `backend:` block: its fields must fit its type, and a connection string in the topology
// (a file that is reviewed and committed) must not carry a password. The message never repeats
// the value, so the password reaches no output either.
import type { Check, CheckProblem } from './parts.js';
import { urlSecrets } from './postgres-url.js';

export const checkBackend: Check = (p) => {
  const b = p.backend;
  if (!b) return [];
  const out: CheckProblem[] = [];
  const only = (field: 'path' | 'url' | 'schema' | 'workspace', type: string) => {
    if (b[field] !== undefined && b.type !== type)
      out.push({ path: ['backend', field], at: 'key', message: `${field} is for a ${type} backend; this one is ${b.type}` });
  };
  only('path', 'local');
  for (const f of ['url', 'schema', 'workspace'] as const) only(f, 'postgres');
  if (b.url !== undefined && urlSecrets(b.url).length > 0) {
    out.push({
      path: ['backend', 'url'],
      message:
        'holds a password; a topology is reviewed and committed, so give the password in PGPASSWORD or ~/.pgpass (or the whole URL in PG_CONN_STR) instead',
    });
  }
  return out;
};
