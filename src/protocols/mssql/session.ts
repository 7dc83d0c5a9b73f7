// One TDS connection as Microsoft SQL Server 2019 sees it: PRELOGIN answered, LOGIN7 read and
// its user and password recorded, then "Login failed" (18456) and the server hangs up.

import { FrameSession } from '../framing.js';
import type { SessionContext } from '../types.js';
import { type Login7, MAX_NAME_CHARS, readLogin7 } from './login7.js';
import { type PacketResult, readPreloginOptions, readTdsPacket, type TdsPacket,
  TYPE_PRELOGIN } from './parse.js';
import { loginFailed, OPTION_MARS, preloginResponse } from './replies.js';

const TYPE_LOGIN7 = 0x10;
const STATUS_EOM = 0x01;
/** A LOGIN7 split over packets is put back together up to this many bytes. */
const MAX_MESSAGE_BYTES = 64 * 1024;
const ENCRYPTION_NAMES = ['off', 'on', 'not_supported', 'required'];

function versionText(bytes: Buffer | undefined): string | undefined {
  if (bytes === undefined || bytes.length < 6) return undefined;
  return `${bytes[0]}.${bytes[1]}.${bytes.readUInt16BE(2)}.${bytes.readUInt16BE(4)}`;
}

type TdsFrame = Exclude<PacketResult, { kind: 'message' }>
  | { kind: 'message'; packet: TdsPacket; length: number };

/** A TDS packet with the bytes it takes on the wire, as FrameBuffer consumes them. */
function readFrame(buf: Buffer): TdsFrame {
  const result = readTdsPacket(buf);
  return result.kind === 'message' ? { ...result, length: result.packet.length } : result;
}

function clip(text: string): string {
  return text.slice(0, MAX_NAME_CHARS);
}

/** SQL Server drops a connection whose TDS it cannot read, without an error token. */
export class MssqlSession extends FrameSession<TdsFrame> {
  #message: Buffer[] = [];
  #messageBytes = 0;
  #preloginSeen = false;

  constructor(ctx: SessionContext) {
    // Bounded: the framing holds whole packets of at most MAX_PACKET_BYTES.
    super(ctx, readFrame);
  }

  protected message({ packet }: { packet: TdsPacket }): void {
    this.#messageBytes += packet.payload.length;
    if (this.#messageBytes > MAX_MESSAGE_BYTES) return this.fail('message_too_large');
    this.#message.push(packet.payload);
    if ((packet.status & STATUS_EOM) === 0) return;
    const payload = Buffer.concat(this.#message);
    this.#message = [];
    this.#messageBytes = 0;
    if (packet.type === TYPE_PRELOGIN) return this.#prelogin(payload);
    if (packet.type === TYPE_LOGIN7) return this.#login(payload);
    // SQL Server closes a connection whose first messages are neither PRELOGIN nor LOGIN7.
    this.fail('unexpected_packet_type');
  }

  #prelogin(payload: Buffer): void {
    // PRELOGIN comes once, first; SQL Server drops a client that sends it again.
    if (this.#preloginSeen) return this.fail('repeated_prelogin');
    this.#preloginSeen = true;
    const options = readPreloginOptions(payload);
    if (options === null) return this.fail('bad_prelogin');
    const encryption = options.get(0x01)?.[0];
    const instance = options.get(0x02);
    Object.assign(this.ctx.fields, {
      client_version: versionText(options.get(0x00)),
      encryption: encryption === undefined ? undefined : ENCRYPTION_NAMES[encryption] ?? encryption,
      instance: instance === undefined ? undefined : clip(instance.toString('latin1'))
        .replace(/\0+$/, ''),
    });
    this.ctx.send(preloginResponse(options.has(OPTION_MARS)));
  }

  #login(payload: Buffer): void {
    const result = readLogin7(payload);
    if (result.kind === 'malformed') return this.fail(result.reason);
    this.#record(result.login);
    this.ctx.send(loginFailed(result.login.username, result.login.tdsVersion));
    this.hangUp();
  }

  #record(login: Login7): void {
    this.ctx.credentials.push({ username: login.username, password: login.password });
    Object.assign(this.ctx.fields, {
      tds_version: `0x${login.tdsVersion.toString(16).padStart(8, '0')}`,
      hostname: login.hostname, app_name: login.appName, server_name: login.serverName,
      library: login.library, language: login.language, database: login.database,
      client_pid: login.clientPid, packet_size: login.packetSize,
    });
    if (login.sspiBytes > 0) this.ctx.fields['sspi_bytes'] = login.sspiBytes;
  }
}
