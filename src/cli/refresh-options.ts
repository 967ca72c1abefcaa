// Where a plan made from a topology takes its facts from (plan and apply share them): capability
// files instead of the probe, and the state trusted instead of read back from the hosts.
import type { Command } from 'commander';
import { parseBool } from './option-values.js';

export interface RefreshCliOptions {
  capabilities?: string;
  refresh?: string;
}

export function addRefreshOptions(cmd: Command): Command {
  return cmd
    .option('--capabilities <dir>', 'plan from capability files (<dir>/<host>.json) instead of probing hosts over SSH')
    .option('--refresh <bool>', 'read what is deployed from the hosts first; --refresh=false trusts the state (default: true)');
}

/** With both `--capabilities` and `--refresh=false`, planning talks to no host at all. */
export function refreshFrom(o: RefreshCliOptions): { capabilitiesDir?: string; refresh: boolean } {
  return { capabilitiesDir: o.capabilities, refresh: o.refresh === undefined ? true : parseBool('--refresh', o.refresh) };
}

/** Whether either was given: they mean nothing for a saved plan, which was refreshed when made. */
export function refreshGiven(o: RefreshCliOptions): boolean {
  return o.capabilities !== undefined || o.refresh !== undefined;
}
