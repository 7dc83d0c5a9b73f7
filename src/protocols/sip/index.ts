// SIP (RFC 3261) over UDP and TCP: request lines like HTTP's but with a sip: URI and ending
// in SIP/2.0 (section 7.1), or status lines starting SIP/2.0. VoIP scanners (SIPVicious,
// friendly-scanner) send OPTIONS or REGISTER first.

import { firstLine, PROBE_PARTIAL } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { readMessage } from './parse.js';
import { recordRequest, respond } from './reply.js';
import { SipSession } from './session.js';

const METHODS = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY',
  'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE',
].join('|');

const REQUEST_LINE = new RegExp(`^(${METHODS}) (sips?|tel):\\S+ SIP/2\\.0$`);
const REQUEST_START = new RegExp(`^(${METHODS}) (sips?|tel):`);
const STATUS_LINE = /^SIP\/2\.0 [1-6]\d\d /;
const STATUS_START = 'SIP/2.0 ';

function probe(first: Buffer): number {
  const line = firstLine(first);
  if (line !== null) {
    if (REQUEST_LINE.test(line)) return 0.99;
    return STATUS_LINE.test(line) ? 0.97 : 0;
  }
  const head = first.toString('latin1', 0, 32);
  if (REQUEST_START.test(head)) return 0.9;
  if (head.length > 0 && STATUS_START.startsWith(head.slice(0, STATUS_START.length))) {
    return head.length > STATUS_START.length ? 0.9 : PROBE_PARTIAL;
  }
  return 0;
}

/** One datagram is one message; the answer must fit in the datagram's own size. */
function answer(datagram: Buffer, _port: number,
  fields: Record<string, unknown>): Buffer | undefined {
  const result = readMessage(datagram, true);
  if (result.kind !== 'message') {
    if (result.kind === 'malformed') fields['malformed_reason'] ??= result.reason;
    return undefined;
  }
  recordRequest(fields, result.message);
  return respond(result.message, datagram.length);
}

export const sip: ProtocolDescriptor = {
  name: 'sip',
  transports: ['udp', 'tcp'],
  ports: [5060, 5061],
  probe,
  session: (ctx) => new SipSession(ctx),
  answer,
};
