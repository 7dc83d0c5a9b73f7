// A pure, bounded reader of the WebLogic T3 protocol: the text hello ("t3 12.2.1\nAS:255\n
// HL:19\n\n") and the length-prefixed binary messages after it, in which deserialisation
// exploits carry Java serialised objects. Never throws.

/** The hello is a few short lines; WebLogic gives up on a longer one. */
export const MAX_HELLO_BYTES = 1024;
/** Our cap on one T3 message; exploit messages run from a few to a hundred KiB. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_HEADERS = 16;
const HELLO_LINE = /^t3s? (\d{1,2}(?:\.\d{1,3}){1,4})$/;

export interface Hello {
  version: string;
  headers: [string, string][];
  length: number;
}

export type HelloResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; hello: Hello }
  | { kind: 'malformed'; reason: string };

export function readHello(buf: Buffer): HelloResult {
  const end = buf.subarray(0, MAX_HELLO_BYTES).indexOf('\n\n');
  if (end === -1) {
    return buf.length >= MAX_HELLO_BYTES ? { kind: 'malformed', reason: 'hello_too_long' }
      : { kind: 'incomplete' };
  }
  const [first = '', ...rest] = buf.toString('latin1', 0, end).split('\n');
  const version = HELLO_LINE.exec(first.replace(/\r$/, ''))?.[1];
  if (version === undefined) return { kind: 'malformed', reason: 'bad_hello' };
  const headers = rest.slice(0, MAX_HEADERS).map((line): [string, string] => {
    const colon = line.indexOf(':');
    return colon === -1 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1)];
  });
  return { kind: 'message', hello: { version, headers, length: end + 2 } };
}

export type MessageResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; body: Buffer; length: number }
  | { kind: 'malformed'; reason: string; declared: number };

/** One T3 message: a 4-byte big-endian length that counts itself, then the body. */
export function readMessage(buf: Buffer): MessageResult {
  if (buf.length < 4) return { kind: 'incomplete' };
  const declared = buf.readUInt32BE(0);
  if (declared < 4) return { kind: 'malformed', reason: 'message_too_short', declared };
  if (declared > MAX_MESSAGE_BYTES) {
    return { kind: 'malformed', reason: 'message_too_large', declared };
  }
  if (buf.length < declared) return { kind: 'incomplete' };
  return { kind: 'message', body: buf.subarray(4, declared), length: declared };
}

const STREAM_MAGIC = Buffer.from([0xac, 0xed, 0x00, 0x05]);
/** TC_OBJECT then TC_CLASSDESC: a class descriptor's name follows as a 2-byte length + UTF. */
const CLASS_DESC = Buffer.from([0x73, 0x72]);
const MAX_CLASS_NAME_CHARS = 256;
const CLASS_NAME = /^[\w$.[;]+$/;

/** How many Java serialisation streams a body carries, and the class names it names. */
export function serialised(body: Buffer, maxClasses: number): { streams: number;
  classes: string[] } {
  let streams = 0;
  for (let at = body.indexOf(STREAM_MAGIC); at !== -1; at = body.indexOf(STREAM_MAGIC, at + 4)) {
    streams++;
  }
  const classes: string[] = [];
  for (let at = body.indexOf(CLASS_DESC); at !== -1 && classes.length < maxClasses;
    at = body.indexOf(CLASS_DESC, at + 2)) {
    if (at + 4 > body.length) break;
    const size = body.readUInt16BE(at + 2);
    if (size === 0 || size > MAX_CLASS_NAME_CHARS || at + 4 + size > body.length) continue;
    const name = body.toString('latin1', at + 4, at + 4 + size);
    if (CLASS_NAME.test(name) && !classes.includes(name)) classes.push(name);
  }
  return { streams, classes };
}
