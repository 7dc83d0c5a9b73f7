// The inner stream: routes decrypted bytes by their probe and records under fields.inner.

import { describe, expect, it } from 'vitest';

import type { Credential } from '../events/event.js';
import { InnerStream } from './inner.js';

function setup() {
  const sent: Buffer[] = [];
  const io = { send: (b: Uint8Array) => { sent.push(Buffer.from(b)); }, ended: false,
    end: () => { io.ended = true; } };
  const owner = { dstPort: 443, fields: {} as Record<string, unknown>,
    credentials: [] as Credential[], commands: [] as string[], reasons: [] as string[],
    malformed: (r: string) => { owner.reasons.push(r); } };
  return { sent, io, owner, stream: new InnerStream(io, owner) };
}

describe('inner stream', () => {
  it('hands an HTTP request to the http session and sends its reply back through io', () => {
    const { sent, owner, stream } = setup();
    stream.data(Buffer.from('GET /x HTTP/1.1\r\n'));
    stream.data(Buffer.from('Host: example.com\r\nConnection: close\r\n\r\n'));
    expect(owner.fields['inner']).toMatchObject({ protocol: 'http',
      fields: { method: 'GET', path: '/x', host: 'example.com' } });
    expect(Buffer.concat(sent).toString('latin1')).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
  });

  it('names bytes that never became sure by the best probe at close', () => {
    const { owner, stream } = setup();
    stream.data(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    stream.close();
    expect(owner.fields['inner']).toEqual({ protocol: 'unknown', fields: {} });
  });
});
