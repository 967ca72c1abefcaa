// What `tvd force-unlock` does; its arguments and options are in commands/force-unlock.ts.
import type { CommonOptions } from '../common-options.js';
import { openStateBackend } from '../state-backend.js';

export async function run(id: string, o: CommonOptions): Promise<void> {
  const backend = await openStateBackend(o);
  const holder = await backend.forceUnlock(id).finally(() => backend.close());
  process.stdout.write(`Removed the lock ${id} held by ${holder.who} (pid ${holder.pid}, ${holder.operation}, since ${holder.created}).\n`);
}
