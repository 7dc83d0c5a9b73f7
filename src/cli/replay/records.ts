// Reads a replay file (JSON lines, the corpus format of test/fixtures/corpus/README.md) into
// records ready to send. Every problem becomes one MITSU_INPUT_INVALID naming the line, and
// nothing is sent until the whole file has been read and checked.

import { readFile, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Transport } from '../../events/event.js';
import { MitsuError } from '../../lib/errors.js';

/** The whole replay file, read into memory before anything is sent. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** One record's payload after base64 decoding. */
export const MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;
/** The largest UDP payload over IPv4 (65535 minus the IP and UDP headers). */
export const MAX_UDP_PAYLOAD_BYTES = 65_507;

export interface ReplayRecord {
  /** 1-based line number in the input, for messages. */
  line: number;
  id: string;
  port: number;
  transport: Transport;
  payload: Buffer;
  srcIp: string | undefined;
  srcPort: number | undefined;
  /** Set when the bytes are not raw wire bytes (`ssh-session`): such records are skipped. */
  replay: string | undefined;
}

const HINT = 'each line must be one JSON object as docs/replay.md describes';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// Only the fields replay uses are checked; the rest (description, expect, ...) pass untouched.
const recordSchema = z.object({
  id: z.string().regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 printable characters, no spaces'),
  port: z.number().int().min(1).max(65_535),
  transport: z.enum(['tcp', 'udp']),
  payload_b64: z.string().regex(BASE64, 'must be base64'),
  replay: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a lowercase name').optional(),
  src_ip: z.string().refine((ip) => isIP(ip) !== 0, 'must be an IPv4 or IPv6 address').optional(),
  src_port: z.number().int().min(0).max(65_535).optional(),
});

/** Reads FILE, or standard input when FILE is `-`, and checks every line. */
export async function loadRecords(
  file: string,
  stdin: NodeJS.ReadableStream,
): Promise<ReplayRecord[]> {
  const text = file === '-' ? await readStream(stdin) : await readPath(file);
  const name = file === '-' ? 'standard input' : file;
  const records = parseRecords(text, name);
  if (records.length === 0) {
    throw new MitsuError('MITSU_INPUT_INVALID', `${name} holds no records`, HINT);
  }
  return records;
}

/** Parses JSON lines; blank lines are skipped. */
export function parseRecords(text: string, name: string): ReplayRecord[] {
  const records: ReplayRecord[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() !== '') records.push(parseLine(line, index + 1, name));
  });
  return records;
}

function parseLine(text: string, line: number, name: string): ReplayRecord {
  const where = `${name} line ${line}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MitsuError('MITSU_INPUT_INVALID', `${where} is not valid JSON`, HINT);
  }
  const result = recordSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || '(record)';
    throw new MitsuError('MITSU_INPUT_INVALID', `${where}: ${field} ${issue?.message ?? ''}`, HINT);
  }
  const record = result.data;
  return {
    line,
    id: record.id,
    port: record.port,
    transport: record.transport,
    payload: decodePayload(record.payload_b64, record.transport, where),
    srcIp: record.src_ip,
    srcPort: record.src_port,
    replay: record.replay,
  };
}

function decodePayload(b64: string, transport: Transport, where: string): Buffer {
  const max = transport === 'udp' ? MAX_UDP_PAYLOAD_BYTES : MAX_PAYLOAD_BYTES;
  if ((b64.length / 4) * 3 > max + 2) {
    throw new MitsuError('MITSU_INPUT_INVALID', `${where}: payload is over ${max} bytes`,
      transport === 'udp' ? 'a UDP payload must fit in one datagram' : HINT);
  }
  return Buffer.from(b64, 'base64');
}

async function readPath(file: string): Promise<string> {
  try {
    if ((await stat(file)).size > MAX_INPUT_BYTES) throw tooBig(file);
    return await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof MitsuError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new MitsuError('MITSU_INPUT_INVALID', `cannot read ${file} (${code})`,
      'check the path, or pass - to read standard input', { cause: err });
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    if (total > MAX_INPUT_BYTES) throw tooBig('standard input');
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooBig(name: string): MitsuError {
  return new MitsuError('MITSU_INPUT_INVALID', `${name} is over ${MAX_INPUT_BYTES} bytes`,
    'split the file and replay the parts one after another');
}
