// Carries out a plan: per host one SSH connection and one bundle script, hosts in parallel,
// each finished step recorded in the state as it is reported, so that a failure or an
// interrupt leaves the state true to what happened.
import type { Plan, PlannedAction } from '../plan/plan.js';
import type { Allocations, State } from '../state/state.js';
import type { HostConnection } from '../ssh/session.js';
import { mapBounded } from '../ssh/bounded-parallel.js';
import type { AnyResource } from '../plan/resources.js';
import { addressKey, RESOURCE_TYPES } from '../address/address.js';
import { renderHostBundle, type BundleStep } from './render/index.js';
import { recordStep } from './record-step.js';
import { parseManifest, type Manifest } from '../refresh/manifest.js';
import { busyHolder, busyMessage, type HostLockOptions } from '../host/host-lock.js';
import { sh } from '../shell/quote.js';

export type ApplyEvent =
  | { type: 'host-start'; host: string; total: number }
  | { type: 'step-begin'; host: string; address: string; action: string; done: number; total: number }
  | { type: 'step-ok'; host: string; address: string; action: string; done: number; total: number }
  | { type: 'step-fail'; host: string; address: string; action: string; code: string }
  | { type: 'host-done'; host: string; ok: boolean; error?: string; done: number; total: number }
  | { type: 'host-skipped'; host: string; reason: string };

export interface ApplyContext {
  plan: Plan;
  allocations?: Allocations;
  state: State;
  /** Opens (or hands back an already open) connection to a host. */
  connect: (host: string) => Promise<HostConnection>;
  /** Persist the state; called often, must be atomic. */
  save: (state: State) => Promise<void>;
  parallelism: number;
  onEvent: (e: ApplyEvent) => void;
  /** True once the user asked to stop: no new host is started. */
  stopRequested: () => boolean;
  /** Hands out a way to read the state at any instant, steps under way counted as tainted. */
  expose?: (snapshot: () => State) => void;
  /**
   * The state could not be saved (the backend is gone): no new host starts and nothing more is
   * saved. The caller should stop the hosts under way (close their connections), since what
   * they do now can no longer be recorded.
   */
  onSaveFailed?: (err: Error) => void;
  /** The host lock each bundle takes (src/host/host-lock.ts). */
  hostLock?: HostLockOptions;
}

export interface HostFailure {
  host: string;
  message: string;
}

export interface ApplyResult {
  state: State;
  failures: HostFailure[];
  skipped: string[];
  manifests: Map<string, Manifest>;
  /** Set when a save failed: the state holds what was saved before it. */
  saveError?: Error;
}

const rank = new Map<string, number>(RESOURCE_TYPES.map((t, i) => [t, i]));

/** Creates and updates in apply order; deletes after them, in reverse order. */
export function orderHostActions(actions: PlannedAction[]): PlannedAction[] {
  const r = (a: PlannedAction) => rank.get(a.resource.type) ?? 99;
  const by = (x: PlannedAction, y: PlannedAction) => (x.resource.name < y.resource.name ? -1 : x.resource.name > y.resource.name ? 1 : 0);
  const ups = actions.filter((a) => a.action !== 'delete').sort((x, y) => r(x) - r(y) || by(x, y));
  const downs = actions.filter((a) => a.action === 'delete').sort((x, y) => r(y) - r(x) || by(x, y));
  return [...ups, ...downs];
}

/** A planned action as a step of the host bundle (the benchmark renders the same bundles with it). */
export function toStep(a: PlannedAction): BundleStep {
  const address = { host: a.host, ...a.resource };
  const res = (attrs: unknown) => (attrs == null ? undefined : ({ address, attrs } as AnyResource));
  return { address, action: a.action, before: res(a.before), after: res(a.after) };
}

export async function applyPlan(ctx: ApplyContext): Promise<ApplyResult> {
  let resources = ctx.state.resources;
  let serial = ctx.state.serial;
  const current = (): State => ({
    ...ctx.state,
    serial,
    resources,
    allocations: ctx.allocations ?? ctx.state.allocations,
  });
  // Writes are chained so they never overlap, and coalesced while one is in flight.
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  let firstWrite = true;
  let saveError: Error | undefined;
  const persist = () => {
    if (firstWrite) {
      serial += 1;
      firstWrite = false;
    }
    dirty = true;
    writing = writing.then(async () => {
      // After a failed save, nothing more: the backend (and for PostgreSQL the lock) is gone.
      if (!dirty || saveError) return;
      dirty = false;
      try {
        await ctx.save(current());
      } catch (err) {
        saveError = err instanceof Error ? err : new Error(String(err));
        ctx.onSaveFailed?.(saveError);
      }
    });
    return writing;
  };

  const inFlight = new Map<string, PlannedAction>();
  ctx.expose?.(() => {
    let rs = resources;
    for (const a of inFlight.values()) rs = recordStep(rs, a, 'failed');
    return { ...current(), resources: rs };
  });

  const byHost = new Map<string, PlannedAction[]>();
  for (const a of ctx.plan.actions) byHost.set(a.host, [...(byHost.get(a.host) ?? []), a]);
  const hosts = [...byHost.keys()].sort();
  const failures: HostFailure[] = [];
  const skipped: string[] = [];
  const manifests = new Map<string, Manifest>();

  const runHost = async (host: string) => {
    const actions = orderHostActions(byHost.get(host)!);
    const total = actions.length;
    const byAddress = new Map(actions.map((a) => [addressKey({ host: a.host, ...a.resource }), a]));
    let done = 0;
    ctx.onEvent({ type: 'host-start', host, total });
    try {
      const conn = await ctx.connect(host);
      const bundle = renderHostBundle(host, actions.map(toStep), ctx.hostLock);
      const result = await conn.exec(sh`sh -s`, {
        stdin: bundle,
        onStdoutLine: (line) => {
          const m = /^@@tvd (begin|ok|fail) (\S+)(?: (\S+))?$/.exec(line);
          if (!m) return;
          const a = byAddress.get(m[2]);
          if (!a) return;
          if (m[1] === 'begin') {
            inFlight.set(host, a);
            // Written ahead: if tvd dies now, the host may still finish this step before it
            // notices, so until the step reports ok the state calls the resource unknown.
            resources = recordStep(resources, a, 'failed');
            void persist();
            ctx.onEvent({ type: 'step-begin', host, address: m[2], action: a.action, done, total });
          } else if (m[1] === 'ok') {
            inFlight.delete(host);
            done++;
            resources = recordStep(resources, a, 'ok');
            void persist();
            ctx.onEvent({ type: 'step-ok', host, address: m[2], action: a.action, done, total });
          } else {
            inFlight.delete(host);
            resources = recordStep(resources, a, 'failed');
            void persist();
            ctx.onEvent({ type: 'step-fail', host, address: m[2], action: a.action, code: m[3] ?? '?' });
          }
        },
      });
      const manifest = parseManifest(result.stdout);
      if (manifest) manifests.set(host, manifest);
      const busy = busyHolder(result.stdout);
      if (busy !== undefined) throw new Error(busyMessage(busy, ctx.hostLock?.waitSeconds));
      if (result.code !== 0) {
        const failed = [...result.stdout.matchAll(/^@@tvd fail (\S+)/gm)].map((x) => x[1]);
        const why = (result.stderr.trim().split('\n').filter(Boolean).pop() ?? '').slice(0, 300);
        throw new Error(
          failed.length
            ? `${failed[0]} failed${why ? `: ${why}` : ''}`
            : `the host script exited ${result.code ?? result.signal}${why ? `: ${why}` : ''}`,
        );
      }
      ctx.onEvent({ type: 'host-done', host, ok: true, done, total });
    } catch (err) {
      const stuck = inFlight.get(host);
      if (stuck) {
        inFlight.delete(host);
        resources = recordStep(resources, stuck, 'failed');
        void persist();
      }
      const message = err instanceof Error ? err.message : String(err);
      failures.push({ host, message });
      ctx.onEvent({ type: 'host-done', host, ok: false, error: message, done, total });
    }
  };

  await mapBounded(hosts, ctx.parallelism, async (host) => {
    if (!ctx.stopRequested() && !saveError) return runHost(host);
    skipped.push(host);
    ctx.onEvent({ type: 'host-skipped', host, reason: saveError ? 'the state could not be saved' : 'interrupted' });
  });
  await writing;
  return { state: current(), failures, skipped, manifests, ...(saveError ? { saveError } : {}) };
}
