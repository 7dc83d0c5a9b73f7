// A pure, bounded reader of newline-delimited JSON-RPC over raw TCP (Stratum, Claymore's
// remote manager, node IPC-style sockets): one JSON value a line, or one whole value sent
// without its newline. Never throws; lines past MAX_LINE_BYTES are refused unread.

/** Longest request line; Stratum pools cut clients off far sooner. */
export const MAX_LINE_BYTES = 64 * 1024;
/**
 * A value without a newline is tried as a whole only up to this size, so a client dribbling
 * bytes that end in "}" cannot make every chunk parse the whole buffer again.
 */
export const MAX_UNTERMINATED_BYTES = 4096;
/** Requests taken from one batch array; the rest are dropped. */
export const MAX_BATCH = 32;

export interface RpcRequest {
  /** The id as sent (number, string or null), or undefined for a notification. */
  id: unknown;
  method: string;
  params: unknown;
  /** True when the request named "jsonrpc": "2.0" (node style), false for Stratum style. */
  v2: boolean;
}

export type LineResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; requests: RpcRequest[]; batch: boolean; length: number }
  | { kind: 'malformed'; reason: string; length: number };

function request(value: unknown): RpcRequest | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  if (typeof record['method'] !== 'string') return null;
  return { id: record['id'], method: record['method'], params: record['params'],
    v2: record['jsonrpc'] === '2.0' };
}

function fromText(text: string, length: number): LineResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: reported to the session as malformed, which answers a parse error.
    return { kind: 'malformed', reason: 'invalid_json', length };
  }
  if (Array.isArray(value)) {
    const requests = value.slice(0, MAX_BATCH).map(request);
    if (requests.length === 0 || requests.some((r) => r === null)) {
      return { kind: 'malformed', reason: 'invalid_request', length };
    }
    return { kind: 'message', requests: requests as RpcRequest[], batch: true, length };
  }
  const one = request(value);
  if (one === null) return { kind: 'malformed', reason: 'invalid_request', length };
  return { kind: 'message', requests: [one], batch: false, length };
}

/** The next request line; blank lines come back as an empty message to skip. */
export function readLine(buf: Buffer): LineResult {
  const lf = buf.subarray(0, MAX_LINE_BYTES + 1).indexOf(0x0a);
  if (lf !== -1) {
    const text = buf.toString('utf8', 0, lf).trim();
    if (text === '') return { kind: 'message', requests: [], batch: false, length: lf + 1 };
    return fromText(text, lf + 1);
  }
  if (buf.length > MAX_LINE_BYTES) {
    return { kind: 'malformed', reason: 'line_too_long', length: buf.length };
  }
  return wholeValue(buf);
}

/** Claymore's manager and some scanners send one object with no newline after it. */
function wholeValue(buf: Buffer): LineResult {
  if (buf.length > MAX_UNTERMINATED_BYTES) return { kind: 'incomplete' };
  const text = buf.toString('utf8').trim();
  if (!text.endsWith('}') && !text.endsWith(']')) return { kind: 'incomplete' };
  const result = fromText(text, buf.length);
  return result.kind === 'message' ? result : { kind: 'incomplete' };
}
