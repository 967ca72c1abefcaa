// A PostgreSQL connection string as tvd shows it: the same URL without its password (nor any
// query parameter that carries one), so that plans, logs, `show` and errors can name the
// database. Pure. The full URL goes to the pg client and nowhere else. It is the topology's
// (its `backend:` check refuses a URL with a password); the state backends use it after it.

export const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'] as const;

export function isPostgresUrl(text: string): boolean {
  return POSTGRES_SCHEMES.some((s) => text.toLowerCase().startsWith(`${s}//`));
}

const SECRET_PARAM = /pass|secret|token|sslkey/i;

/** The URL without its password; undefined when it does not parse as a postgres:// URL. */
export function redactUrl(text: string): string | undefined {
  const u = parse(text);
  if (!u) return undefined;
  u.password = '';
  for (const k of [...u.searchParams.keys()]) if (SECRET_PARAM.test(k)) u.searchParams.delete(k);
  return u.toString();
}

/** The secrets in the URL (its password, raw and decoded, and secret parameters), to mask in any output. */
export function urlSecrets(text: string): string[] {
  const u = parse(text);
  if (!u) return [];
  const out: string[] = [];
  if (u.password) out.push(u.password, safeDecode(u.password));
  for (const [k, v] of u.searchParams) if (SECRET_PARAM.test(k) && v) out.push(v, encodeURIComponent(v));
  return [...new Set(out.filter((s) => s.length > 0))];
}

function parse(text: string): URL | undefined {
  if (!isPostgresUrl(text)) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
