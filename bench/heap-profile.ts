// Where the memory goes: a V8 sampling heap profile (node --heap-prof), bytes summed per source
// file and per function. The profile is written at exit and holds the sampled allocations not
// yet collected then, so it shows what a plan keeps, not every short-lived string.
import { readFileSync } from 'node:fs';
import { shortFile } from './cpu-profile.js';

export interface HeapHotspot {
  name: string;
  bytes: number;
  share: number;
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

export function heapHotspots(path: string, top = 10): { byFile: HeapHotspot[]; byFunction: HeapHotspot[]; totalBytes: number } {
  const { head } = JSON.parse(readFileSync(path, 'utf8')) as { head: HeapNode };
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  const stack = [head];
  while (stack.length) {
    const n = stack.pop()!;
    stack.push(...n.children);
    if (!n.selfSize) continue;
    const file = shortFile(n.callFrame.url);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    files.set(file, (files.get(file) ?? 0) + n.selfSize);
    fns.set(fn, (fns.get(fn) ?? 0) + n.selfSize);
    total += n.selfSize;
  }
  const list = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, bytes]) => ({ name, bytes, share: bytes / total }));
  return { byFile: list(files), byFunction: list(fns), totalBytes: total };
}
