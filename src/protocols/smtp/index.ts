// SMTP (RFC 5321): the server greets with 220 and the client introduces itself with EHLO or
// HELO; spam relays and scanners that do not wait send those first.

import { ascii, prefixTable, tableScore } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { HOSTNAME, SmtpSession } from './session.js';

// TODO(smtp): the host name is fixed; every Mitsu sensor greets with the same name until a
// later issue takes it from the sensor's configuration.

// Postfix 3.6 on Ubuntu 22.04 LTS: smtpd_banner = $myhostname ESMTP $mail_name (Ubuntu).
const BANNER = ascii(`220 ${HOSTNAME} ESMTP Postfix (Ubuntu)\r\n`);

const COMMANDS = prefixTable({
  'EHLO ': 0.95, 'HELO ': 0.95, 'EHLO\r\n': 0.9, 'HELO\r\n': 0.9, 'MAIL FROM:': 0.7,
});

export const smtp: ProtocolDescriptor = {
  name: 'smtp',
  transports: ['tcp'],
  ports: [25, 587, 2525],
  probe: (first) => tableScore(first, COMMANDS),
  greeting: () => BANNER,
  session: (ctx) => new SmtpSession(ctx),
};
