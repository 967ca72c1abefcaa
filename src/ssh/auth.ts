// The authentication attempts for one connection, in the order cli.md gives: `--identity`, then
// IdentityFile from ssh config, then the SSH agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa.
// Key material stays in Buffers handed to ssh2; only paths ever appear in messages.
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { AnyAuthMethod } from 'ssh2';
import { loadSsh2 } from './load-ssh2.js';
import { UserError } from '../errors/user-error.js';

export const DEFAULT_IDENTITY_NAMES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export interface AuthAttempt {
  /** What the attempt is, for messages: a key path or `agent`. */
  label: string;
  method: AnyAuthMethod;
}

export interface AuthPlan {
  attempts: AuthAttempt[];
  /** Keys that were found but cannot be used (e.g. passphrase-protected), for the failure message. */
  skipped: string[];
}

export interface AuthSources {
  user: string;
  /** `--identity PATH`: must be readable. */
  identityPath?: string;
  /** IdentityFile entries from ssh config: skipped when missing, as ssh does. */
  configIdentities: string[];
  /** SSH_AUTH_SOCK, when set. */
  agentSocket?: string;
  home: string;
}

export async function planAuth(s: AuthSources): Promise<AuthPlan> {
  const attempts: AuthAttempt[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const addKey = async (path: string, required: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (err) {
      if (required) throw new UserError(`--identity ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return;
    }
    const parsed = (await loadSsh2()).utils.parseKey(data);
    if (parsed instanceof Error || !parsed.isPrivateKey()) {
      const why =
        parsed instanceof Error && /passphrase/i.test(parsed.message)
          ? 'needs a passphrase; load it into ssh-agent'
          : 'not a usable private key';
      if (required) throw new UserError(`--identity ${path}: ${why}`);
      skipped.push(`${path} (${why})`);
      return;
    }
    attempts.push({ label: path, method: { type: 'publickey', username: s.user, key: data } });
  };
  if (s.identityPath) await addKey(s.identityPath, true);
  for (const p of s.configIdentities) await addKey(p, false);
  if (s.agentSocket) {
    // ssh2 aborts the whole connection when the agent cannot be reached, so check it first.
    if (await agentAnswers(s.agentSocket))
      attempts.push({ label: 'agent', method: { type: 'agent', username: s.user, agent: s.agentSocket } });
    else skipped.push(`the SSH agent at ${s.agentSocket} (not answering)`);
  }
  for (const n of DEFAULT_IDENTITY_NAMES) await addKey(join(s.home, '.ssh', n), false);
  return { attempts, skipped };
}

function agentAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(path);
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
    sock.setTimeout(2_000, () => done(false));
  });
}
