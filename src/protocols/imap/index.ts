// IMAP4rev1 (RFC 3501): the server greets with an untagged OK; every client command starts
// with a tag of its own choosing ("a001 LOGIN ..."), which sets IMAP apart.

import { ascii, firstLine } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { BANNER, ImapSession } from './session.js';

// Dovecot 2.3.16 on Ubuntu 22.04 LTS with upstream's login_greeting, as the POP3 side.
const GREETING = ascii(`${BANNER}\r\n`);

// SMTP and POP3 clients send "AUTH LOGIN", which would otherwise read as tag AUTH.
const COMMANDS = 'CAPABILITY|LOGIN|AUTHENTICATE|STARTTLS|ID|NOOP|LOGOUT';
const COMMAND = new RegExp(`^(?!AUTH )[A-Za-z0-9.]{1,16} (${COMMANDS})\\b`, 'i');

// "GET login.cgi HTTP/1.1" reads as tag GET and command LOGIN.
const HTTP_LINE = / HTTP\/\d\.\d$/;

function probe(first: Buffer): number {
  const line = firstLine(first) ?? first.toString('latin1', 0, 64);
  return COMMAND.test(line) && !HTTP_LINE.test(line) ? 0.9 : 0;
}

export const imap: ProtocolDescriptor = {
  name: 'imap',
  transports: ['tcp'],
  ports: [143],
  probe,
  greeting: () => GREETING,
  session: (ctx) => new ImapSession(ctx),
};
