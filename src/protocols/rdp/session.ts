// One RDP connection: answers the X.224 Connection Request the way Windows Server 2019 does with
// Security Layer "Negotiate" and NLA not enforced, records the cookie user and what the client
// offered, then reads one more packet (TLS ClientHello or MCS Connect Initial) and closes.

import type { Session, SessionContext } from '../types.js';
import {
  type ConnectionRequest, MAX_COOKIE_BYTES, MAX_TPKT_BYTES, PROTOCOL_BITS, readClientCore,
  readConnectionRequest, readTpkt,
} from './parse.js';

const PROTOCOL_RDP = 0;
const PROTOCOL_SSL = 0x1;
const PROTOCOL_HYBRID = 0x2;
const PROTOCOL_HYBRID_EX = 0x8;
/** RESTRICTED_ADMIN_MODE_REQUIRED and REDIRECTED_AUTHENTICATION_MODE_REQUIRED. */
const CREDENTIAL_LESS_FLAGS = 0x03;
const HYBRID_REQUIRED_BY_SERVER = 5;
/** Windows 10 / Server 2016 and later set all five RDP_NEG_RSP flags (nmap's match agrees). */
const NEG_RSP_FLAGS = 0x1f;
/** Windows answers with source reference 0x1234 in every Connection Confirm. */
const SRC_REF = 0x1234;
const TLS_HANDSHAKE = 0x16;

type Choice = { selected: number } | { failure: number };

/** Most secure first, as Windows picks among what the client offered (MS-RDPBCGR 3.3.5.3.1). */
function choose(request: ConnectionRequest): Choice | null {
  const neg = request.negotiation;
  if (neg === null) return null;
  const offered = neg.protocols;
  // Restricted admin and Remote Credential Guard only work over CredSSP; without it offered,
  // the server refuses rather than fall back (assumed from the flag's definition, 2.2.1.1.1).
  if ((neg.flags & CREDENTIAL_LESS_FLAGS) !== 0 && (offered & PROTOCOL_HYBRID) === 0) {
    return { failure: HYBRID_REQUIRED_BY_SERVER };
  }
  // HYBRID_EX is CredSSP plus an Early User Authorization PDU: only taken with HYBRID.
  const hybridEx = PROTOCOL_HYBRID_EX | PROTOCOL_HYBRID;
  if ((offered & hybridEx) === hybridEx) return { selected: PROTOCOL_HYBRID_EX };
  for (const bit of [PROTOCOL_HYBRID, PROTOCOL_SSL]) {
    if ((offered & bit) !== 0) return { selected: bit };
  }
  return { selected: PROTOCOL_RDP };
}

/** X.224 Connection Confirm (X.224 13.4) in a TPKT, with an RDP_NEG_RSP or RDP_NEG_FAILURE. */
export function connectionConfirm(choice: Choice | null): Buffer {
  const length = choice === null ? 11 : 19;
  const packet = Buffer.alloc(length);
  packet.writeUInt16BE(0x0300, 0);
  packet.writeUInt16BE(length, 2);
  packet[4] = length - 5;
  packet[5] = 0xd0;
  packet.writeUInt16BE(SRC_REF, 8);
  if (choice === null) return packet;
  const isFailure = 'failure' in choice;
  packet[11] = isFailure ? 0x03 : 0x02;
  packet[12] = isFailure ? 0 : NEG_RSP_FLAGS;
  packet.writeUInt16LE(8, 13);
  packet.writeUInt32LE(isFailure ? choice.failure : choice.selected, 15);
  return packet;
}

export function protocolNames(protocols: number): string[] {
  return PROTOCOL_BITS.filter(([, bit]) => (protocols & bit) !== 0).map(([name]) => name);
}

function selectedName(choice: Choice | null): string {
  if (choice === null || !('selected' in choice)) return 'rdp';
  return protocolNames(choice.selected)[0] ?? 'rdp';
}

function clip(text: string): string {
  return text.slice(0, MAX_COOKIE_BYTES);
}

export class RdpSession implements Session {
  readonly #ctx: SessionContext;
  #buffer = Buffer.alloc(0);
  #state: 'request' | 'after' | 'done' = 'request';

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
  }

  data(chunk: Buffer): void {
    if (this.#state === 'done') return;
    this.#buffer = Buffer.concat([this.#buffer, chunk]).subarray(0, MAX_TPKT_BYTES);
    if (this.#state === 'request') this.#request();
    else this.#after();
  }

  #request(): void {
    const result = readConnectionRequest(this.#buffer);
    if (result.kind === 'incomplete') return;
    if (result.kind === 'malformed') return this.#fail(result.reason);
    const request = result.message;
    this.#buffer = this.#buffer.subarray(request.length);
    const choice = choose(request);
    this.#record(request, choice);
    this.#ctx.send(connectionConfirm(choice));
    if (choice !== null && 'failure' in choice) return this.#close();
    this.#state = 'after';
    if (this.#buffer.length > 0) this.#after();
  }

  #record(request: ConnectionRequest, choice: Choice | null): void {
    const fields = this.#ctx.fields;
    if (request.cookie !== null) {
      fields['cookie'] = clip(request.cookie);
      this.#ctx.credentials.push({ username: clip(request.cookie), password: '' });
    }
    if (request.routingToken !== null) fields['routing_token'] = clip(request.routingToken);
    const neg = request.negotiation;
    fields['requested_protocols'] = neg === null ? null : protocolNames(neg.protocols);
    if (neg !== null && neg.flags !== 0) fields['negotiation_flags'] = neg.flags;
    if (neg?.correlationId != null) fields['correlation_id'] = neg.correlationId;
    if (choice !== null && 'failure' in choice) fields['failure_code'] = choice.failure;
    else fields['selected'] = selectedName(choice);
  }

  /**
   * TODO(rdp): no TLS or MCS Connect Response follows the confirm, so clients stop before
   * sending a password; users see the cookie user and client name but never a password.
   */
  #after(): void {
    if (this.#buffer[0] === TLS_HANDSHAKE) {
      this.#ctx.fields['next'] = 'tls';
      return this.#close();
    }
    const packet = readTpkt(this.#buffer, true);
    if (packet.kind === 'incomplete') return;
    if (packet.kind === 'malformed') return this.#fail(packet.reason);
    this.#ctx.fields['next'] = 'mcs';
    const core = readClientCore(this.#buffer.subarray(0, packet.length));
    if (core !== null) {
      Object.assign(this.#ctx.fields, { client_name: core.name, client_build: core.build,
        keyboard_layout: core.keyboardLayout, client_version: core.version });
    }
    this.#close();
  }

  /** Windows drops the connection on a request it cannot read, without a word. */
  #fail(reason: string): void {
    this.#ctx.malformed(reason);
    this.#close();
  }

  #close(): void {
    this.#state = 'done';
    this.#ctx.end();
  }
}
