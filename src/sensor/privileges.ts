// Dropping root after the listeners are bound: the sensor then runs as an ordinary user.
// Files opened as root (the store, the JSON-lines output) are handed to that user first.

import { chownSync, existsSync, readFileSync } from 'node:fs';
import { MitsuError } from '../lib/errors.js';

export interface Account {
  uid: number;
  gid: number;
}

/** Looks a user up in /etc/passwd (no NSS: a sensor host keeps its users local). */
export function lookupAccount(user: string): Account | undefined {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === user) return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Switches the whole process (all threads) to `user`, after chowning `paths` to it. */
export function dropPrivileges(user: string, paths: readonly string[]): Account {
  const account = lookupAccount(user);
  if (account === undefined) {
    throw new MitsuError('MITSU_PRIVILEGE_DROP_FAILED',
      `user ${JSON.stringify(user)} does not exist`,
      'create it (useradd --system mitsu) or set `user:` in the config to an existing user');
  }
  for (const path of paths) if (existsSync(path)) chownSync(path, account.uid, account.gid);
  try {
    // Node has initgroups on POSIX, but @types/node 20 leaves it out.
    const { initgroups } = process as { initgroups?: (u: string, g: number) => void };
    initgroups?.(user, account.gid);
    process.setgid?.(account.gid);
    process.setuid?.(account.uid);
  } catch (err) {
    throw new MitsuError('MITSU_PRIVILEGE_DROP_FAILED', `cannot switch to user ${user}`,
      'check that the user exists and Mitsu was started as root', { cause: err });
  }
  return account;
}
