// What a home router's MiniUPnPd 2.1 answers an M-SEARCH: a short HTTP/1.1 200 OK naming
// its root device and a description URL (here on a documentation address). Headers are
// dropped until the answer fits the request's size; NOTIFY gets no answer.

import { randomUUID } from 'node:crypto';

const MAX_FIELD_CHARS = 256;
const LOCATION = 'http://192.0.2.1:5431/rootDesc.xml';
const SHORT_LOCATION = 'http://192.0.2.1/d.xml';
const MAX_HEAD_BYTES = 2048;
const SERVER = 'Linux/4.14 UPnP/1.1 MiniUPnPd/2.1';
/** One device id per process, as a device keeps its UUID. */
const UUID = randomUUID();

function headers(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** The longest form that fits in `budget` bytes: all headers, then fewer, then the core. */
function reply(st: string, budget: number): Buffer | undefined {
  const core = ['HTTP/1.1 200 OK', `ST: ${st}`];
  const forms = [
    [...core, `USN: uuid:${UUID}::${st}`, `LOCATION: ${LOCATION}`, 'CACHE-CONTROL: max-age=120',
      'EXT:', `SERVER: ${SERVER}`],
    [...core, `USN: uuid:${UUID}::${st}`, `LOCATION: ${LOCATION}`],
    [...core, `LOCATION: ${SHORT_LOCATION}`],
  ];
  for (const form of forms) {
    const text = `${form.join('\r\n')}\r\n\r\n`;
    if (text.length <= budget) return Buffer.from(text, 'latin1');
  }
  return undefined;
}

export function answer(datagram: Buffer, _port: number,
  fields: Record<string, unknown>): Buffer | undefined {
  const head = datagram.toString('latin1', 0, Math.min(datagram.length, MAX_HEAD_BYTES));
  const method = head.slice(0, Math.max(0, head.indexOf(' '))).slice(0, 16);
  const h = headers(head);
  const clip = (v: string | undefined) => (v ?? '').slice(0, MAX_FIELD_CHARS);
  Object.assign(fields, { method, st: clip(h['st']), man: clip(h['man']) });
  if (h['user-agent'] !== undefined) fields['user_agent'] = clip(h['user-agent']);
  if (method !== 'M-SEARCH') return undefined;
  // ssdp:all is answered with the root device, as MiniUPnPd sends one reply per type.
  const st = h['st'] === undefined || h['st'] === 'ssdp:all' ? 'upnp:rootdevice' : clip(h['st']);
  return reply(st, datagram.length);
}
