// `--capabilities DIR`: capability models written by `tvd capabilities`, by hand or by a test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Capabilities } from './schema.js';
import { capabilitiesProblems } from './validate.js';
import { UserError } from '../errors/user-error.js';

export function readCapabilityFiles(dir: string, hosts: string[]): Record<string, Capabilities> {
  const out: Record<string, Capabilities> = {};
  const problems: string[] = [];
  for (const host of hosts) {
    const file = join(dir, `${host}.json`);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(
        `${file}: ${code === 'ENOENT' ? `no capability model for host ${host}; run \`tvd capabilities FILE --out ${dir}\`` : (err as Error).message}`,
      );
      continue;
    }
    const p = capabilitiesProblems(data);
    if (p.length) problems.push(...p.map((x) => `${file}: ${x}`));
    else if ((data as Capabilities).host !== host) problems.push(`${file}: it describes host ${(data as Capabilities).host}, not ${host}`);
    else out[host] = data as Capabilities;
  }
  if (problems.length) throw new UserError(problems.join('\n'));
  return out;
}
