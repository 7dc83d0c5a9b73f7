// The fallback persona: a stock nginx 1.18.0 on Ubuntu 22.04 serving its default site
// (/var/www/html/index.nginx-debian.html): the welcome page, 404 elsewhere, 405 on POST.

import type { HttpReply, Persona } from '../persona.js';

export const NGINX_SERVER = 'nginx/1.18.0 (Ubuntu)';

const WELCOME = [
  '<!DOCTYPE html>', '<html>', '<head>', '<title>Welcome to nginx!</title>', '</head>',
  '<body>', '<h1>Welcome to nginx!</h1>',
  '<p>If you see this page, the nginx web server is successfully installed and',
  'working. Further configuration is required.</p>', '</body>', '</html>', '',
].join('\n');

/** nginx's built-in error page (ngx_http_special_response.c), with its status text. */
export function nginxError(status: number, text: string): HttpReply {
  const body = [
    '<html>', `<head><title>${status} ${text}</title></head>`, '<body>',
    `<center><h1>${status} ${text}</h1></center>`, `<hr><center>${NGINX_SERVER}</center>`,
    '</body>', '</html>', '',
  ].join('\r\n');
  return { status, headers: [['Server', NGINX_SERVER], ['Content-Type', 'text/html']], body };
}

const INDEX = new Set(['/', '/index.html', '/index.nginx-debian.html']);

export const nginx: Persona = {
  name: 'nginx',
  product: 'nginx 1.18.0 (Ubuntu 22.04)',
  ports: [],
  respond(req) {
    if (!INDEX.has(req.path)) return nginxError(404, 'Not Found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return nginxError(405, 'Not Allowed');
    return { status: 200, headers: [['Server', NGINX_SERVER], ['Content-Type', 'text/html'],
      ['Last-Modified', 'Tue, 21 Feb 2023 10:22:12 GMT'], ['ETag', '"63f49c54-264"'],
      ['Accept-Ranges', 'bytes']], body: WELCOME };
  },
};
