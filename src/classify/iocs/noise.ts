// Parts of attacker text that name no indicator, blanked before URLs, hosts and digests are
// looked for: XML namespace and schema names (a vocabulary, never fetched), and a User-Agent
// that describes its sender (`+https://example.org/bot`: a scanner's identity, not an IOC).
// Download commands are looked for in the text as written, so one hidden there still counts.

/** Longest namespace value, DOCTYPE ids and User-Agent value blanked. */
const MAX_NAMESPACE_CHARS = 512;
const MAX_DOCTYPE_CHARS = 1024;
const MAX_USER_AGENT_CHARS = 4096;

const NAMESPACE_VALUE = new RegExp(String.raw`(\b(?:xmlns(?::[\w.-]{1,64})?|encodingStyle|` +
  String.raw`(?:noNamespace)?schemaLocation)\s{0,8}=\s{0,8}(["']))` +
  String.raw`([^"'<>]{0,${MAX_NAMESPACE_CHARS}})(?=\2)`, 'gi');
/** The public and system ids of a document type: `"-//W3C//DTD XHTML 1.0//EN" "http://...dtd"`. */
const DOCTYPE = new RegExp(String.raw`(<!DOCTYPE)([^>[]{0,${MAX_DOCTYPE_CHARS}})`, 'gi');
const USER_AGENT =
  new RegExp(String.raw`^(user-agent:)([^\r\n]{0,${MAX_USER_AGENT_CHARS}})`, 'gim');
/** A User-Agent carrying code rather than a self-description: Shellshock `() {`, a Log4j
 * `${jndi:...}` lookup, command substitution, a script or template tag, a pipe. */
const CARRIES_CODE = /[{}`<>|]|\$\(/;

/** Hosts that only name vocabularies (XML namespaces, schemas, DTDs); nothing is fetched from
 * them, and no attacker controls them. Seen outside attributes too (`<a:Action>` in WS-Man). */
const VOCABULARY_HOSTS = new Set([
  'www.w3.org', 'w3.org', 'schemas.xmlsoap.org', 'schemas.microsoft.com',
  'schemas.openxmlformats.org', 'schemas.dmtf.org', 'purl.org',
]);

export function isVocabularyHost(host: string): boolean {
  return VOCABULARY_HOSTS.has(host);
}

const blank = (text: string): string => ' '.repeat(text.length);

/** The text with namespace values, DOCTYPE ids and self-describing User-Agent values turned
 * into spaces, so every other character keeps its place. */
export function withoutNoise(text: string): string {
  if (!/xmlns|encodingstyle|schemalocation|doctype|user-agent/i.test(text)) return text;
  return text
    .replace(NAMESPACE_VALUE, (_m, head: string, _q: string, value: string) => head + blank(value))
    .replace(DOCTYPE, (_m, head: string, ids: string) => head + blank(ids))
    .replace(USER_AGENT, (line: string, head: string, value: string) =>
      CARRIES_CODE.test(value) ? line : head + blank(value));
}
