// Microsoft SQL Server on any port: clients open with a TDS PRELOGIN packet (type 0x12)
// whose declared length matches what was sent. Client-first, so no greeting; the session
// answers as SQL Server 2019 does (session.ts).

import { PROBE_PARTIAL } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { HEADER_BYTES, isPreloginOptionList, readTdsHead, TYPE_PRELOGIN } from './parse.js';
import { MssqlSession } from './session.js';

function probe(first: Buffer): number {
  if (first.length === 0 || first[0] !== TYPE_PRELOGIN) return 0;
  const result = readTdsHead(first);
  if (result.kind === 'incomplete') return PROBE_PARTIAL;
  if (result.kind === 'malformed') return 0;
  const { length } = result.head;
  if (first.length < length) return PROBE_PARTIAL;
  return isPreloginOptionList(first.subarray(HEADER_BYTES, length)) ? 0.97 : 0;
}

export const mssql: ProtocolDescriptor = {
  name: 'mssql',
  transports: ['tcp'],
  ports: [1433],
  probe,
  session: (ctx) => new MssqlSession(ctx),
};
