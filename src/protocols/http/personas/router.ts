// A home router's web login on 80 and 8080, modelled on the NETGEAR DGN1000 (mini_httpd/1.19
// 19dec2003): HTTP Basic auth on every page, so brute-forcers show the credentials they try.

import type { HttpReply, HttpRequest, Persona } from '../persona.js';
import { header } from '../persona.js';

const SERVER = 'mini_httpd/1.19 19dec2003';
const REALM = 'NETGEAR DGN1000';

const UNAUTHORIZED = [
  '<HTML><HEAD><TITLE>401 Unauthorized</TITLE></HEAD>',
  '<BODY BGCOLOR="#cc9999"><H4>401 Unauthorized</H4>',
  'Authorization required.', '<HR>',
  '<ADDRESS><A HREF="http://www.acme.com/software/mini_httpd/">mini_httpd/1.19 19dec2003</A>' +
    '</ADDRESS>',
  '</BODY></HTML>', '',
].join('\n');

const START = [
  '<html><head><title>NETGEAR Router DGN1000</title></head>',
  '<frameset rows="105,*" border="0">',
  '<frame name="topframe" src="top.html" scrolling="no" noresize>',
  '<frame name="formframe" src="basic_home.htm" scrolling="auto">',
  '</frameset></html>', '',
].join('\n');

/** The DGN1000's factory login; any other pair is refused like the real device does. */
function authorised(req: HttpRequest): boolean {
  const auth = header(req, 'authorization') ?? '';
  return auth === `Basic ${Buffer.from('admin:password').toString('base64')}`;
}

function reply(status: number, body: string, extra: [string, string][] = []): HttpReply {
  return { status, headers: [['Server', SERVER], ...extra,
    ['Content-Type', 'text/html; charset=iso-8859-1']], body };
}

export const router: Persona = {
  name: 'netgear-router',
  product: 'NETGEAR DGN1000 (mini_httpd 1.19)',
  ports: [80, 8080],
  respond(req) {
    // setup.cgi runs without authentication on the DGN1000 (the flaw Mozi exploits); its
    // reply to an unknown todo is an empty page.
    if (req.path === '/setup.cgi') return reply(200, '');
    if (!authorised(req)) {
      return reply(401, UNAUTHORIZED, [['WWW-Authenticate', `Basic realm="${REALM}"`]]);
    }
    return reply(200, START);
  },
};
