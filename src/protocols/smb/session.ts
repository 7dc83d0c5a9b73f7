// One SMB connection as Windows Server 2016 answers it: NetBIOS session request, SMB1 and SMB2
// NEGOTIATE (dialects recorded), then SMB2 NTLMSSP session setup up to a refused logon, with
// the user, domain and workstation recorded. Anything further closes the connection.

import { FrameSession } from '../framing.js';
import type { SessionContext } from '../types.js';
import { challengeToken, readAuthenticate } from './ntlm.js';
import { type Smb1Negotiate, readMessage, readSmb1Negotiate, readSmb2Negotiate,
  readSmb2SessionSetup, readSmbHead } from './parse.js';
import { smb1NoDialect, smb1NtLmResponse, smb2NegotiateResponse, smb2SessionSetupResponse,
  STATUS_LOGON_FAILURE, STATUS_MORE_PROCESSING_REQUIRED } from './replies.js';

/** The machine a default Windows Server 2016 install names itself, in a workgroup. */
const NAMES = { workgroup: 'WORKGROUP', server: 'WIN-M7Q2D9KRT1B' };
const DIALECT_NAMES: Record<number, string> = {
  0x0202: '2.0.2', 0x0210: '2.1', 0x0222: '2.2.2', 0x0224: '2.2.4', 0x02ff: '2.???',
  0x0300: '3.0', 0x0302: '3.0.2', 0x0310: '3.1', 0x0311: '3.1.1',
};
/**
 * Highest first. TODO(smb): 3.1.1 needs negotiate contexts (preauth integrity, encryption);
 * until they are built, clients offering 3.1.1 are given 3.0.2 and nmap reports 3.0.2.
 */
const SUPPORTED = [0x0302, 0x0300, 0x0210, 0x0202];
const SMB1_NEGOTIATE = 0x72;
const SMB2_NEGOTIATE = 0;
const SMB2_SESSION_SETUP = 1;
/** Windows lets a client retry a refused logon on the same connection; we allow a few. */
const MAX_LOGON_ATTEMPTS = 3;
const POSITIVE_SESSION_RESPONSE = Buffer.from([0x82, 0, 0, 0]);

function dialectName(dialect: number): string {
  return DIALECT_NAMES[dialect] ?? `0x${dialect.toString(16).padStart(4, '0')}`;
}

type SmbFrame = { kind: 'incomplete' } | { kind: 'malformed'; reason: string }
  | { kind: 'message'; message: Buffer; length: number };

/** One NetBIOS-framed message as the tagged result FrameBuffer reads. */
function readFrame(buf: Buffer): SmbFrame {
  const message = readMessage(buf);
  if (message === null) return { kind: 'incomplete' };
  if (message === 'too_large') return { kind: 'malformed', reason: 'message_too_large' };
  return { kind: 'message', message, length: message.length };
}

/** Windows resets a connection whose SMB it cannot read, without a reply. */
export class SmbSession extends FrameSession<SmbFrame> {
  #sessionId = 0n;
  #logons = 0;

  constructor(ctx: SessionContext) {
    super(ctx, readFrame);
  }

  protected message({ message }: { message: Buffer }): void {
    const head = readSmbHead(message);
    if (head.kind !== 'message') return this.fail(head.kind === 'malformed' ? head.reason
      : 'short_message');
    const { dialect, command } = head.head;
    if (dialect === 'netbios') return this.ctx.send(POSITIVE_SESSION_RESPONSE);
    if (dialect === 'smb1' && command === SMB1_NEGOTIATE) return this.#smb1Negotiate(message);
    if (dialect === 'smb2' && command === SMB2_NEGOTIATE) return this.#smb2Negotiate(message);
    if (dialect === 'smb2' && command === SMB2_SESSION_SETUP) return this.#sessionSetup(message);
    // TODO(smb): SMB1 session setup, tree connect and the rest are not answered; EternalBlue
    // checkers stop here, and users see the command that followed but no further payload.
    this.ctx.fields['next_command'] = `${dialect}:0x${command.toString(16)}`;
    this.hangUp();
  }

  #smb1Negotiate(message: Buffer): void {
    const parsed = readSmb1Negotiate(message);
    if (parsed.kind === 'malformed') return this.fail(parsed.reason);
    const { dialects } = parsed.message;
    this.ctx.fields['smb1_dialects'] = dialects;
    // Windows answers a client that knows SMB2 with an SMB2 response (MS-SMB2 3.3.5.3.1).
    if (dialects.includes('SMB 2.???')) return this.#smb2Reply(0x02ff, 0n);
    if (dialects.includes('SMB 2.002')) return this.#smb2Reply(0x0202, 0n);
    this.#smb1Reply(parsed.message);
  }

  #smb1Reply(negotiate: Smb1Negotiate): void {
    const index = negotiate.dialects.indexOf('NT LM 0.12');
    if (index === -1) {
      this.ctx.fields['dialect'] = null;
      this.ctx.send(smb1NoDialect(negotiate.flags2, negotiate.ids));
      return this.hangUp();
    }
    this.ctx.fields['dialect'] = 'NT LM 0.12';
    this.ctx.send(smb1NtLmResponse(negotiate, index, NAMES));
  }

  #smb2Negotiate(message: Buffer): void {
    const parsed = readSmb2Negotiate(message);
    if (parsed.kind === 'malformed') return this.fail(parsed.reason);
    const request = parsed.message;
    Object.assign(this.ctx.fields, {
      smb2_dialects: request.dialects.map(dialectName), client_guid: request.clientGuid,
      client_capabilities: request.capabilities, security_mode: request.securityMode,
    });
    const chosen = SUPPORTED.find((d) => request.dialects.includes(d));
    if (chosen === undefined) {
      this.ctx.fields['dialect'] = null;
      return this.hangUp();
    }
    this.#smb2Reply(chosen, request.messageId);
  }

  #smb2Reply(dialect: number, messageId: bigint): void {
    this.ctx.fields['dialect'] = dialectName(dialect);
    this.ctx.send(smb2NegotiateResponse(dialect, messageId));
  }

  #sessionSetup(message: Buffer): void {
    const blob = readSmb2SessionSetup(message);
    if (blob.kind === 'malformed') return this.fail(blob.reason);
    const messageId = message.readBigUInt64LE(4 + 24);
    const auth = readAuthenticate(blob.message);
    if (auth === null) {
      this.#sessionId = BigInt(Date.now()) << 16n;
      const reply = { command: SMB2_SESSION_SETUP, status: STATUS_MORE_PROCESSING_REQUIRED,
        messageId, sessionId: this.#sessionId };
      return this.ctx.send(smb2SessionSetupResponse(reply, challengeToken(NAMES.server)));
    }
    Object.assign(this.ctx.fields, { ntlm_user: auth.user, ntlm_domain: auth.domain,
      ntlm_workstation: auth.workstation });
    if (auth.user !== '') this.ctx.credentials.push({ username: auth.user, password: '' });
    const reply = { command: SMB2_SESSION_SETUP, status: STATUS_LOGON_FAILURE, messageId,
      sessionId: this.#sessionId };
    this.ctx.send(smb2SessionSetupResponse(reply, Buffer.alloc(0)));
    if (++this.#logons >= MAX_LOGON_ATTEMPTS) this.hangUp();
  }
}
