// Writing capability files: `DIR/<host>.json`, one per host (read-files.ts reads them back).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Capabilities } from './schema.js';

export const DEFAULT_CAPABILITIES_DIR = '.tvd/capabilities';

export function capabilityFilePath(dir: string, host: string): string {
  return join(dir, `${host}.json`);
}

/** Write beside, then rename: a reader never sees half a file. */
export async function writeCapabilityFile(dir: string, caps: Capabilities): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = capabilityFilePath(dir, caps.host);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(caps, null, 2) + '\n');
  await rename(tmp, path);
  return path;
}
