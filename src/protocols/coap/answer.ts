// What a libcoap/Californium device answers: GET /.well-known/core gets 2.05 Content with a
// short CoRE link format (RFC 6690), cut to whole links that fit the request's size; other
// GETs get 4.04; a ping gets a Reset (RFC 7252 4.3). Piggybacked ACK for a CON request.

import { readMessage } from './parse.js';

const TYPE_CON = 0;
const TYPE_NON = 1;
const TYPE_ACK = 2;
const TYPE_RST = 3;
const GET = 0x01;
const CONTENT = 0x45;
const NOT_FOUND = 0x84;
const METHOD_NOT_ALLOWED = 0x85;
/** Content-Format option (12) of one byte: 40, application/link-format. */
const LINK_FORMAT_OPTION = Buffer.from([0xc1, 40]);
const LINKS = ['</sensors/temp>;rt="temperature"', '</sensors/light>;if="sensor"', '</led>'];
const MAX_PATH_CHARS = 255;

function header(type: number, code: number, messageId: number, token: Buffer): Buffer {
  const head = Buffer.from([0x40 | (type << 4) | token.length, code, 0, 0]);
  head.writeUInt16BE(messageId, 2);
  return Buffer.concat([head, token]);
}

function linkFormat(budget: number): string {
  let text = '';
  for (const link of LINKS) {
    const next = text === '' ? link : `${text},${link}`;
    if (next.length > budget) break;
    text = next;
  }
  return text;
}

export function answer(datagram: Buffer, _port: number,
  fields: Record<string, unknown>): Buffer | undefined {
  const result = readMessage(datagram);
  if (result.kind === 'malformed') {
    fields['malformed_reason'] ??= result.reason;
    return undefined;
  }
  const { type, code, messageId, token, uriPath } = result.head;
  const path = `/${uriPath.join('/')}`.slice(0, MAX_PATH_CHARS);
  Object.assign(fields, { coap_type: type, coap_code: code, uri_path: path });
  if (type !== TYPE_CON && type !== TYPE_NON) return undefined;
  if (code === 0) {
    return type === TYPE_CON ? header(TYPE_RST, 0, messageId, Buffer.alloc(0)) : undefined;
  }
  const replyType = type === TYPE_CON ? TYPE_ACK : TYPE_NON;
  if (code !== GET) return header(replyType, METHOD_NOT_ALLOWED, messageId, token);
  if (path !== '/.well-known/core') return header(replyType, NOT_FOUND, messageId, token);
  const head = Buffer.concat([header(replyType, CONTENT, messageId, token), LINK_FORMAT_OPTION]);
  const links = linkFormat(datagram.length - head.length - 1);
  if (links === '') return head;
  return Buffer.concat([head, Buffer.from([0xff]), Buffer.from(links, 'latin1')]);
}
