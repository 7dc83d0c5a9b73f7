// POP3 (RFC 1939, RFC 2449): the server greets with +OK; clients ask for capabilities or
// log in. USER is also FTP's first command, so it scores below FTP's.

import { ascii, prefixTable, tableScore } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { BANNER, Pop3Session } from './session.js';

// Dovecot 2.3.16 on Ubuntu 22.04 LTS with login_greeting set to upstream's "Dovecot ready."
// (Ubuntu's package says "Dovecot (Ubuntu) ready.", which nmap 7.93 does not name).
const GREETING = ascii(`${BANNER}\r\n`);

const COMMANDS = prefixTable({
  'CAPA\r\n': 0.8, 'STLS\r\n': 0.8, 'APOP ': 0.9, 'USER ': 0.55,
});

export const pop3: ProtocolDescriptor = {
  name: 'pop3',
  transports: ['tcp'],
  ports: [110],
  probe: (first) => tableScore(first, COMMANDS),
  greeting: () => GREETING,
  session: (ctx) => new Pop3Session(ctx),
};
