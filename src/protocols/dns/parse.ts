// A pure, bounded reader of a DNS query (RFC 1035 4.1): the header and its one question.
// Compression pointers are refused in a question, as resolvers see them only in answers.

export const HEADER_BYTES = 12;
/** A name is at most 255 bytes on the wire, each label at most 63 (RFC 1035 2.3.4). */
export const MAX_NAME_BYTES = 255;
const MAX_LABEL_BYTES = 63;
const QR_BIT = 0x80;
/** Opcodes 0 (QUERY) to 5 (UPDATE) are assigned; the rest are unused. */
const MAX_OPCODE = 5;
/** Classes IN, CH (version.bind probes), HS, NONE and ANY. */
const CLASSES = [1, 3, 4, 254, 255];

export interface Question {
  id: number;
  opcode: number;
  name: string;
  type: number;
  class: number;
  /** Additional records, 1 when EDNS0 is offered. */
  additional: number;
  /** Bytes the header and question take; an EDNS0 OPT record may follow. */
  end: number;
}

export type QueryResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; question: Question }
  | { kind: 'malformed'; reason: string };

function malformed(reason: string): QueryResult {
  return { kind: 'malformed', reason };
}

/** Reads the labels at HEADER_BYTES; returns the name and where it ends, or a reason. */
function readName(buf: Buffer): { name: string; end: number } | string {
  const labels: string[] = [];
  let at = HEADER_BYTES;
  while (at < buf.length) {
    const size = buf[at] ?? 0;
    if (size === 0) return { name: labels.join('.'), end: at + 1 };
    if (size > MAX_LABEL_BYTES) return 'bad_label';
    if (at + 1 + size - HEADER_BYTES > MAX_NAME_BYTES) return 'name_too_long';
    labels.push(buf.toString('latin1', at + 1, at + 1 + size));
    at += 1 + size;
  }
  return 'incomplete';
}

function readHeader(buf: Buffer): string | null {
  const flags = buf[2] ?? 0;
  if ((flags & QR_BIT) !== 0) return 'not_query';
  if (((flags >> 3) & 0x0f) > MAX_OPCODE) return 'bad_opcode';
  if (buf.readUInt16BE(4) !== 1) return 'not_one_question';
  if (buf.readUInt16BE(6) !== 0 || buf.readUInt16BE(8) !== 0) return 'answers_in_query';
  return buf.readUInt16BE(10) > 1 ? 'too_many_additional' : null;
}

export function readQuery(buf: Buffer): QueryResult {
  if (buf.length < HEADER_BYTES) return { kind: 'incomplete' };
  const bad = readHeader(buf);
  if (bad !== null) return malformed(bad);
  const name = readName(buf);
  if (name === 'incomplete') return { kind: 'incomplete' };
  if (typeof name === 'string') return malformed(name);
  if (buf.length < name.end + 4) return { kind: 'incomplete' };
  const type = buf.readUInt16BE(name.end);
  const klass = buf.readUInt16BE(name.end + 2);
  if (type === 0 || !CLASSES.includes(klass)) return malformed('bad_type_or_class');
  const question = {
    id: buf.readUInt16BE(0), opcode: ((buf[2] ?? 0) >> 3) & 0x0f, name: name.name, type,
    class: klass, additional: buf.readUInt16BE(10), end: name.end + 4,
  };
  return { kind: 'message', question };
}
