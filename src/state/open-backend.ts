// A BackendSpec made into a backend. The PostgreSQL backend (and the pg client) is loaded only
// when it is chosen, so a run on the local file loads neither.
import type { StateBackend } from './backend.js';
import type { BackendSpec } from './backend-spec.js';
import { fileBackend } from './file-backend.js';
import { urlSecrets } from '../topology/postgres-url.js';
import { registerSecrets } from './secret-mask.js';

export async function openBackend(spec: BackendSpec): Promise<StateBackend> {
  if (spec.type === 'local') return fileBackend(spec.path);
  registerSecrets(urlSecrets(spec.url));
  const { postgresBackend } = await import('./postgres-backend.js');
  return postgresBackend(spec);
}
