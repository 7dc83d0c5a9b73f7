// A rule's embedded examples as events, and the check `mitsu rules test` runs: every example
// must carry its rule's tag, no counter-example may. Protocol parsing is passed in (`dissect`),
// since classify must not import the protocols.

import { createHash } from 'node:crypto';
import type { Credential, MitsuEvent, Transport } from '../events/event.js';
import { emptyIocs } from '../events/event.js';
import { eventId } from '../lib/id.js';
import type { Classifier } from './classifier.js';
import type { Example } from './rules/schema.js';

/** What the sensor's parsers record for some bytes (`dissect` in src/protocols/dissect.ts). */
export interface ExampleDissection {
  protocol: string;
  fields: Record<string, unknown>;
  commands: string[];
  credentials: Credential[];
  malformed: string | null;
}

export type DissectFn = (payload: Buffer,
  where: { transport: Transport; dstPort: number; srcIp?: string }) => Promise<ExampleDissection>;

/** Addresses of every example event: a documentation client and the honeypot address. */
export const EXAMPLE_SRC_IP = '192.0.2.1';
export const EXAMPLE_DST_IP = '203.0.113.10';
/** 2024-05-01T00:00:00Z: example events carry a fixed time, so they are reproducible. */
const EXAMPLE_TIME_MS = Date.UTC(2024, 4, 1);

/**
 * The bytes of an example. A `payload` string gives one byte per character up to U+00FF
 * (so YAML's "\xNN" is byte NN); a character above that gives its UTF-8 bytes.
 */
export function examplePayload(example: Example): Buffer {
  if (example.payload_b64 !== undefined) return Buffer.from(example.payload_b64, 'base64');
  if (example.payload_hex !== undefined) {
    return Buffer.from(example.payload_hex.replace(/\s+/g, ''), 'hex');
  }
  const text = example.payload ?? '';
  if (![...text].some((c) => c.codePointAt(0)! > 0xff)) return Buffer.from(text, 'latin1');
  return Buffer.concat([...text].map((c) =>
    Buffer.from(c, c.codePointAt(0)! <= 0xff ? 'latin1' : 'utf8')));
}

function eventName(transport: Transport, malformed: string | null): MitsuEvent['event'] {
  if (malformed !== null) return 'protocol.malformed';
  return transport === 'udp' ? 'udp.exchange' : 'connection.closed';
}

/** The event the sensor would have recorded for an example, its given values taking over. */
export async function exampleEvent(example: Example, dissect: DissectFn): Promise<MitsuEvent> {
  const transport = example.transport ?? 'tcp';
  const payload = examplePayload(example);
  const parsed = await dissect(payload, { transport, dstPort: example.port,
    srcIp: EXAMPLE_SRC_IP });
  const time = new Date(EXAMPLE_TIME_MS).toISOString();
  return {
    id: eventId(EXAMPLE_TIME_MS), event: eventName(transport, parsed.malformed),
    sensor: 'rules-test', transport, src_ip: EXAMPLE_SRC_IP, src_port: 40_000,
    dst_ip: EXAMPLE_DST_IP, dst_port: example.port, start: time, end: time,
    close_reason: transport === 'udp' ? 'window' : 'client_closed',
    bytes_in: payload.length, bytes_out: 0, payload_b64: payload.toString('base64'),
    payload_len: payload.length, payload_truncated: false,
    payload_sha256: createHash('sha256').update(payload).digest('hex'),
    protocol: example.protocol ?? parsed.protocol,
    tags: [], intent: null, iocs: emptyIocs(),
    credentials: example.credentials ?? parsed.credentials,
    commands: example.commands ?? parsed.commands,
    template: null, country: null, asn: null, as_org: null, src_scope: null, scanner: null,
    rules_version: null,
    fields: example.fields ?? parsed.fields,
  };
}

/** One example that did not come out as its rule says. */
export interface RuleTestFailure {
  rule: string;
  file: string;
  kind: 'example' | 'counter_example';
  /** 1-based, as a person counts the examples in the file. */
  number: number;
  /** Tag ids the event received. */
  tags: string[];
}

export interface RuleTestResult {
  rules: number;
  examples: number;
  counterExamples: number;
  failures: RuleTestFailure[];
}

/** Classifies every example and counter-example of every rule. */
export async function testRules(classifier: Classifier, dissect: DissectFn):
Promise<RuleTestResult> {
  const result: RuleTestResult = { rules: 0, examples: 0, counterExamples: 0, failures: [] };
  for (const { info, examples, counterExamples } of classifier.definitions()) {
    result.rules++;
    const cases = [
      ...examples.map((example) => ({ example, kind: 'example' as const })),
      ...counterExamples.map((example) => ({ example, kind: 'counter_example' as const })),
    ];
    const numbers = { example: 0, counter_example: 0 };
    for (const { example, kind } of cases) {
      const number = ++numbers[kind];
      const tags = classifier.classify(await exampleEvent(example, dissect)).tags.map((t) => t.id);
      if (tags.includes(info.id) !== (kind === 'example')) {
        result.failures.push({ rule: info.id, file: info.file, kind, number, tags });
      }
    }
    result.examples += numbers.example;
    result.counterExamples += numbers.counter_example;
  }
  return result;
}

/** One line per failure: rule, which example, what was expected, which tags came. */
export function describeFailure(failure: RuleTestFailure): string {
  const which = failure.kind === 'example' ? 'example' : 'counter-example';
  const expected = failure.kind === 'example' ? 'should match' : 'should not match';
  const got = failure.tags.length === 0 ? 'no tags' : `tags ${failure.tags.join(', ')}`;
  return `FAIL ${failure.rule} ${which} ${failure.number} (${failure.file}): ${expected}, ` +
    `got ${got}`;
}
