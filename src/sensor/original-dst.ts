// The port and address a client dialled before nftables redirected it to Mitsu's one
// listener (redirect mode). Wraps the C addon in native/; it is loaded on first use only,
// so bind mode runs without it.

import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MitsuError } from '../lib/errors.js';

export interface OriginalDst {
  /** IPv4 dotted quad (also for v4-mapped sockets) or IPv6 text. */
  address: string;
  port: number;
}

interface Addon {
  originalDst(fd: number): OriginalDst | null;
}

/** Same relative place from src/sensor/ and from dist/sensor/. */
const ADDON_URL = new URL('../../native/build/Release/original_dst.node', import.meta.url);

let addon: Addon | undefined;

/** Loads the addon or throws MITSU_NATIVE_MISSING; call at start-up in redirect mode. */
export function loadOriginalDstAddon(): void {
  if (addon !== undefined) return;
  const path = fileURLToPath(ADDON_URL);
  try {
    addon = createRequire(import.meta.url)(path) as Addon;
  } catch (err) {
    throw new MitsuError('MITSU_NATIVE_MISSING',
      `redirect mode needs the native addon ${path}, which cannot be loaded`,
      'run `npm ci` (or `npm run build:native`) in the Mitsu folder; it needs make, gcc, python3',
      { cause: err });
  }
}

/** The socket's file descriptor; Node keeps it on the private handle (Unix only). */
function socketFd(socket: Socket): number | undefined {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle;
  const fd = handle?.fd;
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 0 ? fd : undefined;
}

/**
 * Where the client meant to connect, or null when the connection was not redirected (no
 * conntrack entry) or the socket is already closed. A connection made straight to the
 * listener reports the listener's own address and port (or null without conntrack). Other
 * failures throw an Error whose `code` is the errno name (EBADF, ENOTSOCK...).
 */
export function originalDst(socket: Socket): OriginalDst | null {
  loadOriginalDstAddon();
  const fd = socketFd(socket);
  if (fd === undefined) return null;
  return (addon as Addon).originalDst(fd);
}
