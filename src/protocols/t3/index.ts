// Oracle WebLogic's T3 protocol: the client opens with "t3 <version>\n" and header lines
// ("AS:255", "HL:19"), the door of many deserialisation exploits (CVE-2015-4852 and after).

import { PROBE_PARTIAL } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { T3Session } from './session.js';

const HELLO = /^t3s? \d{1,2}\.\d/;
const HELLO_START = /^t(3s?( \d{0,2}\.?)?)?$/;

function probe(first: Buffer): number {
  const head = first.toString('latin1', 0, 16);
  if (HELLO.test(head)) return 0.95;
  return first.length > 0 && HELLO_START.test(head) ? PROBE_PARTIAL : 0;
}

export const t3: ProtocolDescriptor = {
  name: 't3',
  transports: ['tcp'],
  ports: [7001, 7002],
  probe,
  session: (ctx) => new T3Session(ctx),
};
