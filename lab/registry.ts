// Which labs exist on this machine and which address slot each holds: files under /run/tvd-lab.
// A slot is taken by creating its directory (mkdir is atomic), so two `up`s never share a block.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_SLOTS } from './address-plan.js';
import type { AnyLabInfo } from './lab-info.js';

const ROOT = '/run/tvd-lab';
const SLOTS = join(ROOT, 'slots');
const LABS = join(ROOT, 'labs');

/** What `down` needs even when `up` died half way. */
export interface LabRecord {
  prefix: string;
  slot: number;
  dir: string;
  /** `up` made DIR itself (so `down` removes it) rather than filling an existing empty folder. */
  createdDir: boolean;
  /** Set by a real-Xen `up` before it starts anything, so that `down` knows what to stop. */
  kind?: 'xen';
  info?: AnyLabInfo;
}

/** Claims the record for a prefix; false when a lab with that prefix is already registered. */
export function claimPrefix(prefix: string): boolean {
  mkdirSync(LABS, { recursive: true });
  try {
    writeFileSync(join(LABS, `${prefix}.json`), '{}', { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

export function allocateSlot(prefix: string): number {
  mkdirSync(SLOTS, { recursive: true });
  for (let n = 0; n < LAB_SLOTS; n++) {
    try {
      mkdirSync(join(SLOTS, String(n)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    writeFileSync(join(SLOTS, String(n), 'prefix'), prefix);
    return n;
  }
  throw new Error(`all ${LAB_SLOTS} lab address blocks are in use (see /run/tvd-lab/slots); run tvd-lab down for old labs`);
}

export function releaseSlot(prefix: string, slot: number | undefined): void {
  const dirs = slot === undefined ? safeList(SLOTS) : [String(slot)];
  for (const d of dirs) {
    const owner = safeRead(join(SLOTS, d, 'prefix'));
    if (owner === prefix || (slot !== undefined && owner === undefined)) rmSync(join(SLOTS, d), { recursive: true, force: true });
  }
}

export function writeRecord(rec: LabRecord): void {
  const file = join(LABS, `${rec.prefix}.json`);
  writeFileSync(file + '.tmp', JSON.stringify(rec, null, 2) + '\n');
  renameSync(file + '.tmp', file);
}

export function readRecord(prefix: string): LabRecord | undefined {
  const text = safeRead(join(LABS, `${prefix}.json`));
  if (!text) return undefined;
  try {
    const rec = JSON.parse(text) as Partial<LabRecord>;
    return rec.prefix ? (rec as LabRecord) : undefined;
  } catch {
    return undefined;
  }
}

export function removeRecord(prefix: string): void {
  rmSync(join(LABS, `${prefix}.json`), { force: true });
  rmSync(join(LABS, `${prefix}.json.tmp`), { force: true });
}

export function listPrefixes(): string[] {
  return safeList(LABS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5));
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
