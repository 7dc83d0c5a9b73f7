// Examples become the events the sensor would record (through the real protocol parsers),
// and the rule test reports each example and counter-example that comes out wrong.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dissect } from '../protocols/dissect.js';
import { Classifier } from './classifier.js';
import {
  describeFailure, EXAMPLE_DST_IP, exampleEvent, examplePayload, testRules,
} from './examples.js';

const dir = mkdtempSync(join(tmpdir(), 'mitsu-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HTTP = 'GET /shell?cd+/tmp HTTP/1.1\r\nHost: 203.0.113.10:80\r\nUser-Agent: Hello\r\n\r\n';

describe('examplePayload', () => {
  it('reads payload as one byte per character up to U+00FF', () => {
    expect(examplePayload({ port: 1, payload: '\xff\x00A\xe9' }))
      .toStrictEqual(Buffer.from([0xff, 0x00, 0x41, 0xe9]));
  });

  it('gives characters above U+00FF their UTF-8 bytes', () => {
    expect(examplePayload({ port: 1, payload: '\xe9日' }))
      .toStrictEqual(Buffer.from([0xe9, 0xe6, 0x97, 0xa5]));
  });

  it('reads payload_b64 and payload_hex (spaces allowed)', () => {
    expect(examplePayload({ port: 1, payload_b64: '/1NNQg==' })).toStrictEqual(
      Buffer.from('ff534d42', 'hex'));
    expect(examplePayload({ port: 1, payload_hex: 'ff 53 4d\n42' })).toStrictEqual(
      Buffer.from('ff534d42', 'hex'));
  });
});

describe('exampleEvent', () => {
  it('runs the bytes through the sensor\'s parsers', async () => {
    const event = await exampleEvent({ port: 80, payload: HTTP }, dissect);
    expect(event.protocol).toBe('http');
    expect(event.fields['path']).toBe('/shell');
    expect(event.fields['user_agent']).toBe('Hello');
    expect(event).toMatchObject({ event: 'connection.closed', transport: 'tcp', dst_port: 80,
      dst_ip: EXAMPLE_DST_IP, payload_len: HTTP.length });
    expect(Buffer.from(event.payload_b64, 'base64').toString('latin1')).toBe(HTTP);
  });

  it('lets given values replace what the parsers found', async () => {
    const event = await exampleEvent({ port: 22, payload: 'SSH-2.0-Go\r\n', protocol: 'ssh',
      fields: { client_version: 'SSH-2.0-Go' }, commands: ['uname -a'],
      credentials: [{ username: 'root', password: 'admin' }] }, dissect);
    expect(event).toMatchObject({ protocol: 'ssh', fields: { client_version: 'SSH-2.0-Go' },
      commands: ['uname -a'], credentials: [{ username: 'root', password: 'admin' }] });
  });

  it('records UDP examples as UDP exchanges', async () => {
    const event = await exampleEvent({ port: 11211, transport: 'udp',
      payload: '\x00\x01\x00\x00\x00\x01\x00\x00stats\r\n' }, dissect);
    expect(event).toMatchObject({ event: 'udp.exchange', transport: 'udp',
      protocol: 'memcached' });
  });
});

describe('testRules', () => {
  const file = join(dir, 'rules.yaml');
  writeFileSync(file, `
- id: shell-path
  name: GET /shell
  description: {en: Requests /shell., ja: /shell を要求する。}
  intent: exploit
  protocol: http
  match: {in: field:path, equals: /shell}
  examples:
    - port: 80
      payload: "GET /shell?cd+/tmp HTTP/1.1\\r\\nHost: 203.0.113.10\\r\\n\\r\\n"
    - port: 8080
      payload: "GET /other HTTP/1.1\\r\\nHost: 203.0.113.10\\r\\n\\r\\n"
  counter_examples:
    - port: 80
      payload: "GET / HTTP/1.1\\r\\nHost: 203.0.113.10\\r\\n\\r\\n"
    - port: 80
      payload: "GET /shell HTTP/1.1\\r\\n\\r\\n"
- id: any-get
  name: Any GET
  description: {en: Any GET request., ja: GET リクエスト。}
  intent: scan
  match: {in: payload, prefix: "GET "}
  examples:
    - {port: 80, payload: "GET / HTTP/1.1\\r\\n\\r\\n"}
`);

  it('reports each example that misses and each counter-example that matches', async () => {
    const result = await testRules(Classifier.load([file]), dissect);
    expect(result).toMatchObject({ rules: 2, examples: 3, counterExamples: 2 });
    expect(result.failures).toStrictEqual([
      { rule: 'shell-path', file, kind: 'example', number: 2, tags: ['any-get'] },
      { rule: 'shell-path', file, kind: 'counter_example', number: 2,
        tags: ['shell-path', 'any-get'] },
    ]);
  });

  it('describes a failure on one line: rule, which example, expected, tags', () => {
    expect(describeFailure({ rule: 'shell-path', file: 'r.yaml', kind: 'counter_example',
      number: 2, tags: ['shell-path', 'any-get'] })).toBe('FAIL shell-path counter-example 2 ' +
      '(r.yaml): should not match, got tags shell-path, any-get');
    expect(describeFailure({ rule: 'x', file: 'r.yaml', kind: 'example', number: 1, tags: [] }))
      .toBe('FAIL x example 1 (r.yaml): should match, got no tags');
  });
});
