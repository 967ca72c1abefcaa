// A vm as people read it in a plan: its xl.cfg as text, the file a change rewrites (a memory change
// is the line `memory = ...`), in place of the settings it is written from (src/plan/xl-config.ts).
import type { PlannedAction } from '../../plan/plan.js';
import type { VmAttrs } from '../../plan/resources.js';
import { isLegacyVm, xlConfig } from '../../plan/xl-config.js';

type Obj = Record<string, unknown>;

/** The attributes to show: a vm's `domain` becomes its `config` text; others as they are. */
export function shownAttrs(a: PlannedAction, attrs: Obj): Obj {
  if (a.resource.type !== 'vm' || !('domain' in attrs) || isLegacyVm(attrs)) return attrs;
  const { path, domain: _, ...rest } = attrs as unknown as VmAttrs;
  return { path, config: xlConfig(a.resource.name, a.host, attrs as unknown as VmAttrs), ...rest };
}

/** An attribute that forces a replace, by the name it is shown under. */
export const shownForce = (a: PlannedAction, key: string) => (a.resource.type === 'vm' && key === 'domain' ? 'config' : key);
