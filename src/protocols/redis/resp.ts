// RESP2 reply encoders (the Redis protocol specification) and the readable form of a command
// kept in the event's `commands`: arguments quoted the way redis-cli prints them.

export const MAX_COMMAND_LINE_CHARS = 1024;

export type Reply = Buffer;

export const ok = (): Reply => simple('OK');
export const nil = (): Reply => Buffer.from('$-1\r\n', 'latin1');

export function simple(text: string): Reply {
  return Buffer.from(`+${text}\r\n`, 'latin1');
}

/** Errors never carry CR or LF: Redis maps them to spaces (addReplyErrorLength). */
export function error(text: string): Reply {
  return Buffer.from(`-${text.replace(/[\r\n]/g, ' ')}\r\n`, 'latin1');
}

export function integer(n: number): Reply {
  return Buffer.from(`:${n}\r\n`, 'latin1');
}

export function bulk(value: Buffer | string): Reply {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  return Buffer.concat([Buffer.from(`$${bytes.length}\r\n`, 'latin1'), bytes,
    Buffer.from('\r\n', 'latin1')]);
}

/** An array whose elements are already encoded replies, or strings sent as bulks. */
export function array(items: readonly (Reply | string)[]): Reply {
  const parts = items.map((item) => (typeof item === 'string' ? bulk(item) : item));
  return Buffer.concat([Buffer.from(`*${items.length}\r\n`, 'latin1'), ...parts]);
}

/** One argument as redis-cli shows it: bare when plain, else double-quoted with escapes. */
export function quoteArg(arg: Buffer): string {
  const text = arg.toString('latin1');
  if (text !== '' && /^[\x21-\x7e]*$/.test(text) && !/["'\\]/.test(text)) return text;
  let out = '"';
  for (const byte of arg) out += escapeByte(byte);
  return `${out}"`;
}

const NAMED: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x07: '\\a',
  0x08: '\\b', 0x22: '\\"', 0x5c: '\\\\' };

function escapeByte(byte: number): string {
  const named = NAMED[byte];
  if (named !== undefined) return named;
  if (byte >= 0x20 && byte <= 0x7e) return String.fromCharCode(byte);
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/** The command as one readable line, cut at MAX_COMMAND_LINE_CHARS with the rest counted. */
export function commandLine(args: readonly Buffer[]): string {
  let line = '';
  for (const arg of args) {
    if (line.length > MAX_COMMAND_LINE_CHARS) break;
    line += (line === '' ? '' : ' ') + quoteArg(arg.subarray(0, MAX_COMMAND_LINE_CHARS));
  }
  const total = args.reduce((sum, a) => sum + a.length + 1, -1);
  if (line.length <= MAX_COMMAND_LINE_CHARS) return line;
  return `${line.slice(0, MAX_COMMAND_LINE_CHARS)} (cut: the command was ${total} bytes)`;
}
