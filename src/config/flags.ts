// The `--ports` flag: a profile name, or comma-separated `tcp:RANGE` / `udp:RANGE` items
// (`tcp:22,tcp:8000-8100,udp:53`). A bare item means TCP.

import { MitsuError } from '../lib/errors.js';
import { isProfileName } from './profiles.js';

export interface PortsFlag {
  tcp: string[];
  udp: string[];
}

export function parsePortsFlag(text: string): string | PortsFlag {
  const trimmed = text.trim();
  if (isProfileName(trimmed)) return trimmed;
  const out: PortsFlag = { tcp: [], udp: [] };
  for (const raw of trimmed.split(',')) {
    const item = raw.trim();
    const match = /^(?:(tcp|udp):)?(.+)$/.exec(item);
    if (item === '' || match === null) {
      throw new MitsuError('MITSU_CONFIG_INVALID', `--ports item ${JSON.stringify(raw)} is empty`,
        'write items like tcp:22,tcp:8000-8100,udp:53 or a profile name');
    }
    const transport = (match[1] ?? 'tcp') as keyof PortsFlag;
    out[transport].push(match[2] as string);
  }
  return out;
}
