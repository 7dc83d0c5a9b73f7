// The one list of protocols the sensor knows. Adding a protocol: create its folder with an
// index.ts descriptor, then add one line here (docs/adding-a-protocol.md). On a tie the
// earlier entry wins, and the first server-first entry listing a port greets there.

import { adb } from './adb/index.js';
import { coap } from './coap/index.js';
import { dns } from './dns/index.js';
import { ftp } from './ftp/index.js';
import { http } from './http/index.js';
import { imap } from './imap/index.js';
import { jdwp } from './jdwp/index.js';
import { jsonrpc } from './jsonrpc/index.js';
import { memcached } from './memcached/index.js';
import { mssql } from './mssql/index.js';
import { mysql } from './mysql/index.js';
import { ntp } from './ntp/index.js';
import { pop3 } from './pop3/index.js';
import { rdp } from './rdp/index.js';
import { redis } from './redis/index.js';
import { sip } from './sip/index.js';
import { smb } from './smb/index.js';
import { smtp } from './smtp/index.js';
import { snmp } from './snmp/index.js';
import { ssdp } from './ssdp/index.js';
import { ssh } from './ssh/index.js';
import { t3 } from './t3/index.js';
import { telnet } from './telnet/index.js';
import { tls } from './tls/index.js';
import { vnc } from './vnc/index.js';
import type { ProtocolDescriptor } from './types.js';

export const PROTOCOLS: readonly ProtocolDescriptor[] = [
  http,
  tls,
  ssh,
  telnet,
  ftp,
  smtp,
  pop3,
  imap,
  mysql,
  vnc,
  redis,
  adb,
  rdp,
  smb,
  mssql,
  sip,
  ntp,
  ssdp,
  dns,
  memcached,
  coap,
  snmp,
  jdwp,
  t3,
  jsonrpc,
];
