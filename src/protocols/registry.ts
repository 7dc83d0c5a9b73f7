// The one list of protocols the sensor knows. Adding a protocol: create its folder with an
// index.ts descriptor, then add one line here (docs/adding-a-protocol.md).

import { http } from './http/index.js';
import type { ProtocolDescriptor } from './types.js';

export const PROTOCOLS: readonly ProtocolDescriptor[] = [
  http,
];
