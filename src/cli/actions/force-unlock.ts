// What `tvd force-unlock` does; its arguments and options are in commands/force-unlock.ts.
import type { CommonOptions } from '../common-options.js';
import { forceUnlock } from '../../state/lock.js';

export async function run(id: string, o: CommonOptions): Promise<void> {
  const holder = await forceUnlock(o.state, id);
  process.stdout.write(`Removed the lock ${id} held by ${holder.who} (pid ${holder.pid}, ${holder.operation}, since ${holder.created}).\n`);
}
