// The manifest a host prints after a bundle or a refresh: what tvd put there, by address.
// Format: `@@tvd manifest-begin`, lines `<address> <sha256 of attrs.json>`, `@@tvd manifest-end`.

export type Manifest = Map<string, string>;

export function parseManifest(stdout: string): Manifest | undefined {
  const lines = stdout.split('\n');
  const start = lines.indexOf('@@tvd manifest-begin');
  const end = lines.indexOf('@@tvd manifest-end', start + 1);
  if (start < 0 || end < 0) return undefined;
  const m: Manifest = new Map();
  for (const line of lines.slice(start + 1, end)) {
    const [address, digest] = line.trim().split(/\s+/);
    if (address && digest) m.set(address, digest);
  }
  return m;
}
