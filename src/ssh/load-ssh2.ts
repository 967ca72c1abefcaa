// ssh2 loaded on first use: commands that never connect (validate, show, graph, plan with
// --capabilities and --refresh=false) do not pay its ~35 ms of module loading (bench/plan-scale.ts).
import type ssh2 from 'ssh2';

let loaded: Promise<typeof ssh2> | undefined;

export function loadSsh2(): Promise<typeof ssh2> {
  loaded ??= import('ssh2').then((m) => (m as unknown as { default?: typeof ssh2 }).default ?? (m as unknown as typeof ssh2));
  return loaded;
}
