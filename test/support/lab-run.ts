// The opening that lab tests share: a scratch folder, a lab brought up and always taken down
// (withLab), and in the folder the state file, with the CLI arguments that point tvd at the lab
// (--state, --known-hosts, --identity). The folder is removed afterwards, whatever happens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLab, type LabInfo, type UpOptions } from '../../lab/api.js';
import { labArgs } from './tvd-cli.js';

export interface LabRun {
  lab: LabInfo;
  /** A scratch folder for topologies, plans, capability files; removed afterwards. */
  dir: string;
  /** The state file, `dir/state.json`. */
  state: string;
  /** --state, --known-hosts and --identity for this lab and state. */
  args: string[];
}

export async function withLabRun<T>(opts: Omit<UpOptions, 'out'>, fn: (run: LabRun) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `tvd-${opts.prefix ?? 'lab'}-`));
  try {
    return await withLab(opts, (lab) => {
      const state = join(dir, 'state.json');
      return fn({ lab, dir, state, args: labArgs(lab, state) });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
