// Option values people type, checked with a message that says what was expected.
import { UserError } from '../errors/user-error.js';
import { DEFAULT_HOST_PARALLELISM } from '../ssh/bounded-parallel.js';

export function parseBool(flag: string, v: string | boolean): boolean {
  if (typeof v === 'boolean') return v;
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new UserError(`${flag}=${v}: expected true or false`);
}

/** --parallelism's default, in every host-facing command. */
export const DEFAULT_PARALLELISM = String(DEFAULT_HOST_PARALLELISM);

export function parseParallelism(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UserError(`--parallelism ${v}: expected a whole number from 1 to 256`);
  return n;
}
