// SSH (RFC 4253 section 4.2): both sides open with an identification line "SSH-proto-soft";
// the server usually speaks first, scanners often send theirs at once.

import { ascii, prefixScore } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { BANNER } from './openssh.js';
import { SshSession } from './session.js';

const VERSIONS = ['SSH-2.0-', 'SSH-1.99-', 'SSH-1.5-'].map(ascii);
const ANY_VERSION = [ascii('SSH-')];

function probe(first: Buffer): number {
  const known = prefixScore(first, VERSIONS, 0.99);
  return known === 0.99 ? known : Math.max(known, prefixScore(first, ANY_VERSION, 0.9));
}

export const ssh: ProtocolDescriptor = {
  name: 'ssh',
  transports: ['tcp'],
  ports: [22, 2222, 22222],
  probe,
  greeting: () => BANNER,
  session: (ctx) => new SshSession(ctx),
};
