// ssh2 loaded on first use: commands that never connect (validate, show, graph, plan with
// --capabilities and --refresh=false) do not pay its ~35 ms of module loading (bench/plan-scale.ts).
// A require, not import(): the CLI bundle is a script compiled through node:vm (src/cli/bundle-loader.ts),
// where import() needs Node's experimental VM modules; ssh2 is CommonJS.
import { createRequire } from 'node:module';
import type ssh2 from 'ssh2';

let loaded: Promise<typeof ssh2> | undefined;

export function loadSsh2(): Promise<typeof ssh2> {
  loaded ??= Promise.resolve().then(() => createRequire(import.meta.url)('ssh2') as typeof ssh2);
  return loaded;
}
