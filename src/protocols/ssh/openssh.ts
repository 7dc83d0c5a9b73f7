// What the imitated server says about itself: OpenSSH 8.9p1 as shipped in Ubuntu 22.04 LTS
// (openssh-server 1:8.9p1-3ubuntu0.10), its identification line, algorithm lists and the
// few plain-text errors sshd writes before the key exchange.

import type { Algorithms } from 'ssh2';

export const IDENT = 'OpenSSH_8.9p1 Ubuntu-3ubuntu0.10';
export const BANNER = Buffer.from(`SSH-2.0-${IDENT}\r\n`, 'latin1');

// sshd 8.9 myproposal.h (KEX_SERVER_*) in its order, less what ssh2 cannot do:
// sntrup761x25519-sha512@openssh.com and the umac-* MACs. The SHA-1 and CBC entries at the
// end are not in 8.9's defaults: they let the old libssh2 1.4 bots that make up much of the
// scanning log in, while clients that speak a modern algorithm negotiate as with real sshd.
// TODO(ssh): `ssh-audit` or `nmap --script ssh2-enum-algos` sees the difference (missing
// sntrup761 and umac, extra legacy entries, and ssh2's ssh-rsa host key type).
export const ALGORITHMS: Algorithms = {
  kex: [
    'curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256',
    'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group-exchange-sha256',
    'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512',
    'diffie-hellman-group14-sha256', 'diffie-hellman-group14-sha1',
    'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1',
  ],
  serverHostKey: ['rsa-sha2-512', 'rsa-sha2-256', 'ecdsa-sha2-nistp256', 'ssh-ed25519'],
  cipher: [
    'chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr',
    'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-cbc', 'aes256-cbc',
    '3des-cbc',
  ],
  hmac: [
    'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha1-etm@openssh.com',
    'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1',
  ],
  compress: ['none', 'zlib@openssh.com'],
};

// sshd.c / kex.c (send_error): written in clear before the connection is dropped.
export const INVALID_IDENT = Buffer.from('Invalid SSH identification string.\r\n', 'latin1');
export const VERSION_DIFFERS = Buffer.from('Protocol major versions differ.\r\n', 'latin1');

/** Ubuntu 22.04 sshd_config: KbdInteractiveAuthentication no, so these two are offered. */
export const AUTH_METHODS = ['publickey', 'password'] as const;
/** sshd_config MaxAuthTries default. */
export const MAX_AUTH_TRIES = 6;
/** sshd_config MaxSessions default: channels open at once on one connection. */
export const MAX_SESSIONS = 10;
