// The state backend of one run, chosen from its options, the environment, the topology's
// `backend:` block and a saved plan's record (src/state/backend-spec.ts), and opened.
import type { StateBackend } from '../state/backend.js';
import { chooseBackend, type BackendBlock, type BackendSpec } from '../state/backend-spec.js';
import { openBackend } from '../state/open-backend.js';
import type { CommonOptions } from './common-options.js';

export function backendSpecFor(o: CommonOptions, block?: BackendBlock, planned?: BackendSpec): BackendSpec {
  return chooseBackend({ backend: o.backend, workspace: o.workspace, state: o.state, block, planned, env: process.env });
}

export function openStateBackend(o: CommonOptions, block?: BackendBlock, planned?: BackendSpec): Promise<StateBackend> {
  return openBackend(backendSpecFor(o, block, planned));
}
