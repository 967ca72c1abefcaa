// What the progress display knows about each host, folded from apply events. Pure: the time
// comes in with each event, so the same events always give the same picture.
import type { ApplyEvent } from '../apply/apply-plan.js';

export type HostStatus = 'waiting' | 'running' | 'ok' | 'failed' | 'skipped';

export interface HostProgress {
  host: string;
  status: HostStatus;
  done: number;
  total: number;
  /** The step under way: its address and action. */
  current?: { address: string; action: string };
  startedAt?: number;
  finishedAt?: number;
  error?: string;
}

export interface ProgressModel {
  hosts: HostProgress[];
}

/** Every host of the plan, in plan order, waiting, with its number of steps. */
export function initialProgress(hostSteps: [host: string, total: number][]): ProgressModel {
  return { hosts: hostSteps.map(([host, total]) => ({ host, status: 'waiting', done: 0, total })) };
}

export function applyEvent(m: ProgressModel, e: ApplyEvent, now: number): ProgressModel {
  let found = false;
  const hosts = m.hosts.map((h) => {
    if (h.host !== e.host) return h;
    found = true;
    return step(h, e, now);
  });
  if (!found) hosts.push(step({ host: e.host, status: 'waiting', done: 0, total: 0 }, e, now));
  return { hosts };
}

function step(h: HostProgress, e: ApplyEvent, now: number): HostProgress {
  switch (e.type) {
    case 'host-start':
      return { ...h, status: 'running', total: e.total, startedAt: now };
    case 'step-begin':
      return { ...h, status: 'running', done: e.done, total: e.total, current: { address: e.address, action: e.action } };
    case 'step-ok':
      return { ...h, done: e.done, total: e.total, current: undefined };
    case 'step-fail':
      return { ...h, current: { address: e.address, action: e.action } };
    case 'host-done':
      return {
        ...h,
        status: e.ok ? 'ok' : 'failed',
        done: e.done,
        total: e.total,
        finishedAt: now,
        error: e.error,
        current: e.ok ? undefined : h.current,
      };
    case 'host-skipped':
      return { ...h, status: 'skipped', error: e.reason, finishedAt: now };
  }
}

export function elapsedSeconds(h: HostProgress, now: number): number | undefined {
  if (h.startedAt === undefined) return undefined;
  return ((h.finishedAt ?? now) - h.startedAt) / 1000;
}

/** `creating`, `updating`, `replacing`, `destroying`: what a step is doing, as Terraform says it. */
export function doing(action: string): string {
  return action === 'delete' ? 'destroying' : action === 'create' ? 'creating' : action === 'update' ? 'updating' : 'replacing';
}

export function did(action: string): string {
  return action === 'delete' ? 'destroyed' : action === 'create' ? 'created' : action === 'update' ? 'updated' : 'replaced';
}
