// FTP (RFC 959): the server greets with a 220 reply; a client that speaks first usually logs
// in or asks for TLS straight away, which SMTP and POP3 clients do too, so scores stay low.

import { ascii, prefixTable, tableScore } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { BANNER, FtpSession } from './session.js';

// vsftpd 3.0.5 as shipped in Ubuntu 22.04 LTS, with its default banner.
const GREETING = ascii(`${BANNER}\r\n`);

const COMMANDS = prefixTable({
  'USER ': 0.6, 'AUTH TLS': 0.6, 'AUTH SSL': 0.6, 'FEAT\r\n': 0.65, 'SYST\r\n': 0.65,
  'EPSV\r\n': 0.65, 'PASV\r\n': 0.65, 'OPTS UTF8': 0.65,
});

export const ftp: ProtocolDescriptor = {
  name: 'ftp',
  transports: ['tcp'],
  ports: [21, 2121],
  probe: (first) => tableScore(first, COMMANDS),
  greeting: () => GREETING,
  session: (ctx) => new FtpSession(ctx),
};
