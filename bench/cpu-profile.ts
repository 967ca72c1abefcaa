// Where the time goes: self time from a V8 .cpuprofile, summed per source file and per function.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  name: string;
  ms: number;
  share: number;
}

/** Short name of a script: the part after dist/ or node_modules/, or (program)/(gc). */
function shortFile(url: string): string {
  if (!url) return '(native, gc, idle)';
  const d = url.indexOf('/dist/');
  const n = url.lastIndexOf('/node_modules/');
  if (n >= 0)
    return (
      url
        .slice(n + 14)
        .split('/')
        .slice(0, url.slice(n + 14).startsWith('@') ? 2 : 1)
        .join('/') + ' (dependency)'
    );
  // The run's private copy of the build (cli-snapshot.ts) lives in dist/.bench-snapshot/<pid>/dist/.
  const snap = url.lastIndexOf('/.bench-snapshot/');
  if (snap >= 0) return url.slice(url.indexOf('/dist/', snap) + 6).replace(/\.js$/, '.ts');
  if (d >= 0) return url.slice(d + 6).replace(/\.js$/, '.ts');
  return url.replace(/^node:/, 'node:');
}

export function hotspots(path: string, top = 12): { byFile: Hotspot[]; byFunction: Hotspot[]; totalMs: number } {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const file = shortFile(n.callFrame.url);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    files.set(file, (files.get(file) ?? 0) + us);
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    total += us;
  }
  const list = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
  return { byFile: list(files), byFunction: list(fns), totalMs: total / 1000 };
}
