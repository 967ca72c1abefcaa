// Loads the CLI bundle (dist/bin/tvd/tvd.cjs) with the V8 code cache the build wrote beside it
// (scripts/train-code-cache.ts). Node 20 keeps no compiled code between runs (module.enableCompileCache
// came in Node 22), and compiling what a plan runs is some 45 ms of every 1,000-host plan
// (bench/plan-scale.ts). A CommonJS script compiled through node:vm can take V8's cached bytecode.
// V8 itself checks only that the cache comes from this V8 with these flags and from a source of
// this length, and a release build does not checksum it: the file leads with a SHA-256 of the
// bundle and the cache together, and anything that does not match is not used. Without a cache the
// bundle is compiled as usual: a cache never changes what runs, only how soon.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

export interface LoadedBundle {
  runCli(argv: string[]): Promise<void>;
}

export interface BundleLoad {
  exports: LoadedBundle;
  script: Script;
  /** A cache was there, fit the bundle, and V8 took it. */
  cacheUsed: boolean;
}

const DIGEST_BYTES = 32;
const digestOf = (source: Buffer, payload: Buffer) => createHash('sha256').update(source).update(payload).digest();

/** The cache file's bytes: the digest of bundle and cache, then V8's cache data. */
export function cacheFileBytes(bundleSource: Buffer, cachedData: Buffer): Buffer {
  return Buffer.concat([digestOf(bundleSource, cachedData), cachedData]);
}

/** V8's cache data from the cache file, if it was made for exactly this bundle and is whole. */
function cachedDataFor(source: Buffer, cache: string | undefined): Buffer | undefined {
  let file: Buffer;
  try {
    if (!cache) return undefined;
    file = readFileSync(cache);
  } catch {
    return undefined; // no cache (a build that skipped training): compile as usual
  }
  if (file.length <= DIGEST_BYTES) return undefined;
  const payload = file.subarray(DIGEST_BYTES);
  return digestOf(source, payload).equals(file.subarray(0, DIGEST_BYTES)) ? payload : undefined;
}

/**
 * The CommonJS wrapper, on the bundle's first line so that its line numbers stay true.
 * `__tvdMetaUrl` stands for `import.meta.url`, which esbuild cannot carry into CommonJS.
 */
const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname, __tvdMetaUrl) {${source}\n})`;

export function loadBundle(bundle: string, cache?: string): BundleLoad {
  const source = readFileSync(bundle);
  const cachedData = cachedDataFor(source, cache);
  const script = new Script(wrap(source.toString('utf8')), { filename: bundle, cachedData });
  const module = { exports: {} as LoadedBundle };
  const init = script.runInThisContext() as (...args: unknown[]) => void;
  init(module.exports, createRequire(bundle), module, bundle, dirname(bundle), pathToFileURL(bundle).href);
  return { exports: module.exports, script, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}
