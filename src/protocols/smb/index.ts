// SMB on any port: a NetBIOS session message holding an SMB1 or SMB2 negotiate, as
// EternalBlue scanners and worms send first; or a NetBIOS session request on port 139. The
// session answers like Windows Server 2016 (session.ts).

import { PROBE_PARTIAL } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { readSmbHead } from './parse.js';
import { SmbSession } from './session.js';

function probe(first: Buffer): number {
  if (first.length === 0) return 0;
  const result = readSmbHead(first);
  if (result.kind === 'incomplete') return PROBE_PARTIAL;
  if (result.kind === 'malformed') return 0;
  return result.head.dialect === 'netbios' ? 0.9 : 0.99;
}

export const smb: ProtocolDescriptor = {
  name: 'smb',
  transports: ['tcp'],
  ports: [445, 139],
  probe,
  session: (ctx) => new SmbSession(ctx),
};
