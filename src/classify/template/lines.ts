// Skeletons of line protocols (FTP, SMTP, POP3, IMAP, Redis inline and RESP, JSON lines):
// each line masked, and the arguments that carry secrets (user names, passwords, SASL
// responses) replaced by what they are, so brute-force attempts share their template.

import { maskHeader, maskHosts, maskJsonIds } from './message.js';
import { maskText } from './mask.js';

/** Lines read from one payload. */
const MAX_LINES = 256;

/** Masks for a verb's arguments, in order; '' masks the argument as ordinary text. */
type ArgMasks = readonly string[];

const SECRETS: Record<string, Record<string, ArgMasks>> = {
  ftp: { USER: ['<user>'], PASS: ['<pass>'], ACCT: ['<user>'] },
  pop3: { USER: ['<user>'], PASS: ['<pass>'], APOP: ['<user>', '<digest>'], AUTH: ['', '<cred>'] },
  imap: { LOGIN: ['<user>', '<pass>'], AUTHENTICATE: ['', '<cred>'] },
  smtp: { AUTH: ['', '<cred>'], HELO: ['<host>'], EHLO: ['<host>'] },
  redis: { AUTH: ['<pass>', '<pass>'] },
};

/** SASL mechanisms that take further lines after AUTH: how many responses each sends. */
const SASL_LINES: Record<string, number> = { LOGIN: 2, PLAIN: 1, 'CRAM-MD5': 1 };

export function linesSkeleton(text: string, protocol: string): string {
  return new LineMasker(protocol).run(text);
}

class LineMasker {
  readonly #secrets: Record<string, ArgMasks>;
  /** IMAP puts a tag before the verb. */
  readonly #tagged: boolean;
  readonly #json: boolean;
  /** Lines still to come that are SASL responses or RESP arguments to hide. */
  #pending: string[] = [];
  /** Arguments of the current RESP array (`*3`), after its command. */
  #respArgs = 0;

  constructor(protocol: string) {
    this.#secrets = SECRETS[protocol] ?? {};
    this.#tagged = protocol === 'imap';
    this.#json = protocol === 'jsonrpc';
  }

  run(text: string): string {
    const lines = text.split('\n', MAX_LINES + 1);
    const out: string[] = [];
    for (const raw of lines.slice(0, MAX_LINES)) {
      out.push(this.#line(raw.endsWith('\r') ? raw.slice(0, -1) : raw));
    }
    if (lines.length > MAX_LINES) out.push('<more lines>');
    return out.join('\n');
  }

  #line(line: string): string {
    if (this.#resp(line)) return maskText(line);
    if (this.#pending.length > 0 && line !== '' && !line.startsWith('$')) {
      return this.#pending.shift() as string;
    }
    if (this.#json) return maskText(maskJsonIds(line));
    const words = line.split(' ');
    const verbAt = this.#tagged ? 1 : 0;
    const verb = (words[verbAt] ?? '').toUpperCase();
    const masks = this.#secrets[verb];
    if (masks === undefined) return this.#plain(verb, line);
    if (this.#respArgs > 0) {
      this.#pending = masks.slice(0, this.#respArgs);
      this.#respArgs = 0;
      return maskText(line);
    }
    this.#queueSasl(verb, words.slice(verbAt + 1));
    return words.map((word, i) => (i <= verbAt ? maskText(word)
      : masks[i - verbAt - 1] || maskText(word))).join(' ');
  }

  /** RESP framing lines (`*3`, `$4`); remembers the argument count of an array. */
  #resp(line: string): boolean {
    if (line.startsWith('*')) {
      this.#respArgs = Math.max(0, Number.parseInt(line.slice(1), 10) - 1 || 0);
      return true;
    }
    return line.startsWith('$') && line.length > 1 && line.charCodeAt(1) < 0x3a;
  }

  /** After `AUTH LOGIN` without a response, the next lines are the responses. */
  #queueSasl(verb: string, args: string[]): void {
    if (verb !== 'AUTH' && verb !== 'AUTHENTICATE') return;
    const lines = SASL_LINES[(args[0] ?? '').toUpperCase()] ?? 0;
    const given = args.length - 1;
    this.#pending = Array.from({ length: Math.max(0, lines - given) }, () => '<cred>');
  }

  /** Envelope addresses name hosts; everything else is masked as text. */
  #plain(verb: string, line: string): string {
    this.#respArgs = 0;
    if (verb === 'MAIL' || verb === 'RCPT') return maskHosts(line);
    const colon = line.indexOf(':');
    if (colon > 0 && colon < line.indexOf(' ') + 1) {
      const name = line.slice(0, colon);
      return `${maskText(name)}: ${maskHeader(name, line.slice(colon + 1).trim())}`;
    }
    return maskText(line);
  }
}
