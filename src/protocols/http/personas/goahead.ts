// Port 81: the wireless IP cameras whose GoAhead-Webs server Hajime and Mirai variants probe
// with `GET login.cgi` (CVE-2017-8225 family): the login script, Basic auth elsewhere.

import type { HttpReply, Persona } from '../persona.js';

const SERVER = 'GoAhead-Webs';

// What these cameras return for /login.cgi: the credentials as JavaScript variables.
const LOGIN_CGI = 'var loginuser="admin";\r\nvar loginpass="";\r\nvar pri=255;\r\n';

function reply(status: number, type: string, body: string, extra: [string, string][] = []):
  HttpReply {
  return { status, headers: [['Server', SERVER], ['Pragma', 'no-cache'],
    ['Cache-Control', 'no-cache'], ...extra, ['Content-Type', type]], body };
}

const UNAUTHORIZED = '<html><head></head><body>\r\n\t\tThis document is protected and ' +
  'requires authentication.\r\n</body></html>\r\n\r\n';

export const goahead: Persona = {
  name: 'goahead-camera',
  product: 'GoAhead-Webs IP camera (Netwave/GoAhead 2.x firmware)',
  ports: [81],
  respond(req) {
    const path = req.path.replace(/^\/?/, '/');
    if (path === '/login.cgi') return reply(200, 'text/plain', LOGIN_CGI);
    return reply(401, 'text/html', UNAUTHORIZED,
      [['WWW-Authenticate', 'Basic realm="GoAhead"']]);
  },
};
