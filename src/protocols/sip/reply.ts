// What Asterisk 18 with chan_pjsip (FreePBX 16) answers to a SIP request from an unknown
// peer: 200 OK to OPTIONS, a digest challenge to REGISTER, INVITE and the other dialog
// methods, 481 to BYE/CANCEL, nothing to ACK. Replies are built to fit a byte budget.

import { randomBytes } from 'node:crypto';

import { header, type SipMessage } from './parse.js';

// FreePBX 16's default user_agent: "FPBX-" + FreePBX version + "(" + Asterisk version + ")".
const SERVER = 'FPBX-16.0.40.7(18.20.0)';
const ALLOW = 'OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, PUBLISH, INVITE, ACK, BYE, CANCEL, UPDATE, '
  + 'PRACK, MESSAGE, REFER';
const CHALLENGED = new Set([
  'REGISTER', 'INVITE', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'MESSAGE', 'REFER', 'INFO', 'UPDATE',
  'PRACK',
]);
const NO_TRANSACTION = new Set(['BYE', 'CANCEL']);
/** Headers a response copies from its request (RFC 3261 8.2.6.2). */
const COPIED = ['via', 'from', 'to', 'call-id', 'cseq'] as const;
const CANONICAL: Record<string, string> = {
  via: 'Via', from: 'From', to: 'To', 'call-id': 'Call-ID', cseq: 'CSeq',
};

/**
 * PJSIP's challenge: a timestamped nonce, an opaque value, MD5 and qop=auth; then shorter
 * forms (RFC 2617 3.2.1 needs only realm and nonce) for answers that must stay small.
 */
function challenges(): string[] {
  const nonce = `${Math.floor(Date.now() / 1000)}/${randomBytes(16).toString('hex')}`;
  const opaque = randomBytes(8).toString('hex');
  const head = `WWW-Authenticate: Digest realm="asterisk",nonce="${nonce}"`;
  return [`${head},opaque="${opaque}",algorithm=md5,qop="auth"`, `${head},algorithm=md5`,
    `WWW-Authenticate: Digest realm="asterisk",nonce="${nonce.slice(0, 27)}"`];
}

/** One extra header: the first alternative that fits; a required one must fit or no answer. */
interface Extra {
  choices: string[];
  required?: boolean;
}

/** The status line and extra headers for a request, or null for no answer at all. */
export function decide(request: SipMessage): { status: string; extra: Extra[] } | null {
  const method = request.method;
  if (method === null || method === 'ACK') return null;
  const server = { choices: [`Server: ${SERVER}`] };
  const allow = { choices: [`Allow: ${ALLOW}`] };
  if (method === 'OPTIONS') {
    // Server first: it is what scanners such as svmap report.
    return { status: '200 OK', extra: [server, allow, { choices: ['Accept: application/sdp'] },
      { choices: ['Supported: 100rel, timer, replaces, norefersub'] }] };
  }
  if (CHALLENGED.has(method)) {
    return { status: '401 Unauthorized',
      extra: [{ choices: challenges(), required: true }, server] };
  }
  if (NO_TRANSACTION.has(method)) {
    return { status: '481 Call/Transaction Does Not Exist', extra: [server] };
  }
  return { status: '501 Not Implemented', extra: [server, allow] };
}

/** The copied headers; a To without a tag gets PJSIP's UUID-shaped one. */
function copied(request: SipMessage): string[] {
  const lines: string[] = [];
  for (const name of COPIED) {
    for (const [n, value] of request.headers) {
      if (n !== name) continue;
      const tagged = name === 'to' && !/;\s*tag=/i.test(value)
        ? `${value};tag=${randomBytes(8).toString('hex')}` : value;
      lines.push(`${CANONICAL[name]}: ${tagged}`);
    }
  }
  return lines;
}

/**
 * The response to `request`, with as many extra headers as fit in `budget` bytes, or
 * undefined when no answer is due or even the mandatory part does not fit.
 */
export function respond(request: SipMessage, budget = Infinity): Buffer | undefined {
  const decision = decide(request);
  if (decision === null) return undefined;
  let text = [`SIP/2.0 ${decision.status}`, ...copied(request)].join('\r\n') + '\r\n';
  const tail = 'Content-Length: 0\r\n\r\n';
  if (text.length + tail.length > budget) return undefined;
  for (const extra of decision.extra) {
    const line = extra.choices.find((l) => text.length + l.length + 2 + tail.length <= budget);
    if (line !== undefined) text += `${line}\r\n`;
    else if (extra.required === true) return undefined;
  }
  return Buffer.from(text + tail, 'latin1');
}

const MAX_FIELD_CHARS = 512;
/** Digest answers kept per event; a cracker sends one per password tried. */
const MAX_DIGESTS = 16;
const SCANNERS = /friendly-scanner|sipvicious|sipcli|sipsak|VaxSIPUserAgent|pplsip|iWar|sundayddr/i;

function clip(text: string | undefined): string | undefined {
  return text === undefined ? undefined : text.slice(0, MAX_FIELD_CHARS);
}

/** Digest credentials a cracker sends back, kept whole so they can be checked offline. */
function digest(request: SipMessage): Record<string, string> | undefined {
  const value = header(request, 'authorization') ?? header(request, 'proxy-authorization');
  if (value === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const match of value.matchAll(/(\w+)="?([^",]*)"?/g)) {
    const [, key = '', v = ''] = match;
    if (['username', 'realm', 'nonce', 'uri', 'response', 'algorithm'].includes(key)) {
      out[key] = v.slice(0, MAX_FIELD_CHARS);
    }
  }
  return out;
}

/** Fills `fields` from the first request; later ones count and add their digest answers. */
export function recordRequest(fields: Record<string, unknown>, request: SipMessage): void {
  const count = typeof fields['requests'] === 'number' ? fields['requests'] : 0;
  fields['requests'] = count + 1;
  const answer = digest(request);
  const digests = Array.isArray(fields['digests']) ? fields['digests'] : [];
  if (answer !== undefined && digests.length < MAX_DIGESTS) {
    fields['digests'] = [...digests, answer];
  }
  if (count > 0 || request.method === null) return;
  const userAgent = clip(header(request, 'user-agent'));
  const entries = {
    method: request.method, request_uri: clip(request.uri), from: clip(header(request, 'from')),
    to: clip(header(request, 'to')), contact: clip(header(request, 'contact')),
    call_id: clip(header(request, 'call-id')), user_agent: userAgent,
    scanner: userAgent !== undefined && SCANNERS.test(userAgent) ? true : undefined,
  };
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) fields[key] = value;
}
