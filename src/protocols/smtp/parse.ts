// A pure reader of the SMTP envelope commands' arguments (RFC 5321 4.1.1.2-3): "FROM:<path>"
// and "TO:<path>" with optional ESMTP parameters. Lenient like Postfix about a space after the
// colon and a path without brackets. Never throws.

/** RFC 5321 4.5.3.1.3: a path is at most 256 octets. */
export const MAX_PATH_CHARS = 256;

export type PathResult =
  | { kind: 'message'; address: string; params: string }
  | { kind: 'malformed'; reason: 'bad_syntax' | 'path_too_long' };

/** Reads `keyword` ("FROM" or "TO"), a colon and the path from a MAIL or RCPT argument. */
export function readPath(arg: string, keyword: 'FROM' | 'TO'): PathResult {
  const head = `${keyword}:`;
  if (arg.slice(0, head.length).toUpperCase() !== head) return bad('bad_syntax');
  const rest = arg.slice(head.length).trimStart();
  const bracketed = rest.startsWith('<');
  const end = bracketed ? rest.indexOf('>') : rest.search(/\s|$/);
  if (end === -1) return bad('bad_syntax');
  const address = bracketed ? rest.slice(1, end) : rest.slice(0, end);
  if (address.length > MAX_PATH_CHARS) return bad('path_too_long');
  return { kind: 'message', address, params: rest.slice(end + (bracketed ? 1 : 0)).trim() };
}

function bad(reason: 'bad_syntax' | 'path_too_long'): PathResult {
  return { kind: 'malformed', reason };
}
