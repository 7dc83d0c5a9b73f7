// The catalogue of event names Mitsu records. Names are `<area>.<subject>[.<action>]`.
// A test checks that every name here is documented in docs/events.md and that the code
// uses no name missing from this list.

export const EVENT_NAMES = [
  /** A TCP connection ran to its end (client close, timeout, cap or shutdown). */
  'connection.closed',
  /** A TCP connection accepted above a concurrency limit, recorded, then closed at once. */
  'connection.refused_limit',
  /** A connection whose bytes a parser (PROXY header, protocol) rejected. */
  'protocol.malformed',
  /** One UDP datagram, or a burst from one source to one port within the window. */
  'udp.exchange',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}
