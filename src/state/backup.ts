// Where `tvd state rm` keeps the state it replaces. The file backend: `<state>.backup` beside
// it, as Terraform does. PostgreSQL keeps no history of its own, so the backup is a state file
// in the working folder, named for the workspace. Either is a plain state file, to read or to
// restore by hand (the file backend: copy it back).
import type { BackendSpec } from './backend-spec.js';

export function backupPath(spec: BackendSpec): string {
  return spec.type === 'local' ? `${spec.path}.backup` : `tvd-state.${spec.workspace}.backup.json`;
}
