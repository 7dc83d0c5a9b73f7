// The persona table: which real product answers on which port, and which products take a
// request on any port when its bytes clearly belong to them. Order matters only for claims.

import type { HttpRequest, Persona } from '../persona.js';
import { docker } from './docker.js';
import { geth } from './geth.js';
import { goahead } from './goahead.js';
import { nginx } from './nginx.js';
import { router } from './router.js';
import { couchdb, elasticsearch, hadoop } from './search.js';
import { huaweiUpnp, realtekUpnp } from './upnp.js';

export const PERSONAS: readonly Persona[] = [
  geth, docker, realtekUpnp, huaweiUpnp, elasticsearch, couchdb, hadoop, goahead, router,
];

const byPort = new Map<number, Persona>();
for (const persona of PERSONAS) {
  for (const port of persona.ports) if (!byPort.has(port)) byPort.set(port, persona);
}

/** The port's persona; elsewhere a product that claims the request, else stock nginx. */
export function personaFor(port: number, req: HttpRequest): Persona {
  return byPort.get(port) ?? PERSONAS.find((p) => p.claims?.(req) === true) ?? nginx;
}

export { nginx };
