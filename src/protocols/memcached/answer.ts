// What memcached 1.6.14 (Ubuntu 22.04 LTS) started with UDP on answers a framed request:
// "stats" gets its first STAT lines, as many whole ones as fit the request's size, "get"
// gets END, "version" its version, anything else ERROR. Records the command line.

const FRAME_BYTES = 8;
const MAX_COMMAND_CHARS = 256;
const VERSION = '1.6.14';

const STATS = [
  'STAT pid 1021', 'STAT uptime 8631042', 'STAT time 1700000000', `STAT version ${VERSION}`,
  'STAT libevent 2.1.12-stable', 'STAT pointer_size 64', 'STAT curr_connections 2',
  'STAT total_connections 8104', 'STAT curr_items 1204', 'STAT total_items 98213',
];

/** Whole lines that fit `budget` bytes, ended with END when it fits too. */
function fitLines(lines: readonly string[], budget: number): string {
  let text = '';
  for (const line of [...lines, 'END']) {
    if (text.length + line.length + 2 > budget) break;
    text += `${line}\r\n`;
  }
  return text;
}

function reply(command: string, budget: number): string {
  const verb = command.split(' ')[0]?.toLowerCase() ?? '';
  if (verb === 'stats') return fitLines(STATS, budget);
  if (verb === 'get' || verb === 'gets') return 'END\r\n';
  if (verb === 'version') return `VERSION ${VERSION}\r\n`;
  return 'ERROR\r\n';
}

export function answer(datagram: Buffer, _port: number,
  fields: Record<string, unknown>): Buffer | undefined {
  if (datagram.length <= FRAME_BYTES) return undefined;
  const text = datagram.toString('latin1', FRAME_BYTES, FRAME_BYTES + MAX_COMMAND_CHARS + 2);
  const end = text.indexOf('\r\n');
  const command = (end === -1 ? text : text.slice(0, end)).slice(0, MAX_COMMAND_CHARS);
  Object.assign(fields, { command, request_id: datagram.readUInt16BE(0) });
  const header = Buffer.from(datagram.subarray(0, FRAME_BYTES));
  const body = reply(command, datagram.length - FRAME_BYTES);
  if (body.length === 0 || FRAME_BYTES + body.length > datagram.length) return undefined;
  return Buffer.concat([header, Buffer.from(body, 'latin1')]);
}
