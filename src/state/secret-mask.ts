// The last line of defence for secrets: the passwords of connection strings this process was
// given are registered here, and every message tvd prints about a failure passes mask() first.
// (The first line is that tvd builds its messages from redacted URLs only.)
const secrets = new Set<string>();

export function registerSecrets(values: string[]): void {
  for (const v of values) if (v.length >= 1) secrets.add(v);
}

export function mask(text: string): string {
  let out = text;
  // Longest first, so that a secret containing another is masked whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}
