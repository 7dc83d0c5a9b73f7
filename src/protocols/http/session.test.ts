// The HTTP session on the corpus's real requests: fields, bodies, personas, limits.

import { afterEach, describe, expect, it, vi } from 'vitest';

import { dissect } from '../dissect.js';
import { corpusBytes } from '../test-corpus.js';
import { fakeContext } from '../test-session.js';
import { HttpSession } from './session.js';

function run(bytes: Buffer | string, dstPort = 80, options = {}) {
  const ctx = fakeContext({ dstPort });
  const session = new HttpSession(ctx, options);
  session.data(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  return { ctx, session };
}

/** The record's bytes with a Content-Length 4 larger than the body sent, as some bots send. */
function overstated(id: string): Buffer {
  const text = corpusBytes(id).toString('latin1');
  return Buffer.from(text.replace(/Content-Length: (\d+)/, (_, n: string) =>
    `Content-Length: ${Number(n) + 4}`), 'latin1');
}

function jsonBody(text: string): unknown {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
}

describe('http session, requests and fields', () => {
  it('records method, path, query, host, user agent and headers of a GET', () => {
    const { ctx } = run(corpusBytes('http-mvpower-jaws-shell'));
    expect(ctx.fields).toMatchObject({ method: 'GET', path: '/shell', host: '203.0.113.10',
      user_agent: 'Hello, world', request_count: 1 });
    expect(ctx.fields['query']).toContain('wget%20http');
    expect(ctx.fields['headers']).toContainEqual(['accept', '*/*']);
  });

  it('reads a Content-Length body and records it as text', () => {
    const { ctx } = run(corpusBytes('http-phpunit-eval-stdin-cve-2017-9841'), 8080);
    expect(ctx.fields).toMatchObject({ method: 'POST', body_encoding: 'utf8', body_length: 50 });
    expect(ctx.fields['body']).toContain('php_uname');
  });

  it('reads a chunked body across several writes', () => {
    const ctx = fakeContext({ dstPort: 8081 });
    const session = new HttpSession(ctx);
    session.data(Buffer.from('POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n'));
    session.data(Buffer.from('5\r\nhello\r\n6;ext=1\r\n world\r\n'));
    expect(ctx.sent).toHaveLength(0);
    session.data(Buffer.from('0\r\n\r\n'));
    expect(ctx.fields).toMatchObject({ body: 'hello world', body_length: 11 });
    expect(ctx.text()).toMatch(/^HTTP\/1\.1 404 Not Found/);
  });

  it('records a binary body as base64 and names the encoding', () => {
    const body = Buffer.from([0, 1, 2, 0xff, 0xfe]);
    const head = `POST / HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { ctx } = run(Buffer.concat([Buffer.from(head), body]));
    expect(ctx.fields).toMatchObject({ body: body.toString('base64'), body_encoding: 'base64' });
  });

  it('records every request of a keep-alive connection', () => {
    const one = 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n';
    const last = 'GET /c HTTP/1.1\r\nConnection: close\r\n\r\n';
    const { ctx } = run(`${one}${one.replace('/a', '/b')}${last}`);
    const requests = ctx.fields['requests'] as { path: string }[];
    expect(requests.map((r) => r.path)).toEqual(['/a', '/b', '/c']);
    expect(ctx.fields['request_count']).toBe(3);
    expect(ctx.ended).toBe(true);
  });

  it('keeps Basic credentials, even an empty pair', () => {
    const { ctx } = run(corpusBytes('http-tomcat-manager-empty-basic'), 8080);
    expect(ctx.credentials).toEqual([{ username: '', password: '' }]);
  });
});

describe('http session, limits', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a giant header like nginx and records the partial request', () => {
    const { ctx } = run(corpusBytes('adv-giant-http-header'));
    expect(ctx.text()).toMatch(/^HTTP\/1\.1 400 Request Header Or Cookie Too Large\r\n/);
    expect(ctx.reasons).toEqual(['header_too_large']);
    expect(ctx.fields).toMatchObject({ method: 'GET', path: '/', incomplete: 'header_too_large' });
    expect(ctx.ended).toBe(true);
  });

  it('closes a slowloris head at the deadline and records what arrived', () => {
    vi.useFakeTimers();
    const { ctx, session } = run(corpusBytes('adv-slowloris-partial-headers'), 80,
      { headDeadlineMs: 1000 });
    session.data(Buffer.from('X-b: c\r\n'));
    vi.advanceTimersByTime(999);
    expect(ctx.ended).toBe(false);
    vi.advanceTimersByTime(1);
    expect(ctx.ended).toBe(true);
    expect(ctx.sent).toHaveLength(0);
    expect(ctx.reasons).toEqual(['head_timeout']);
    expect(ctx.fields).toMatchObject({ path: '/', query: 'slow', incomplete: 'head_timeout',
      user_agent: 'Mozilla/4.0' });
  });

  it('records a head cut short by the client closing', () => {
    const { ctx, session } = run(corpusBytes('adv-slowloris-partial-headers'));
    session.close?.();
    expect(ctx.fields).toMatchObject({ method: 'GET', incomplete: 'incomplete' });
    expect(ctx.reasons).toEqual([]);
  });

  it('records a request whose body ended before its Content-Length', () => {
    const { ctx, session } = run(overstated('seed-8545-eth-blocknumber-id7'), 8545);
    expect(ctx.fields).toEqual({});
    session.close?.();
    expect(ctx.fields).toMatchObject({ method: 'POST', path: '/', query: '',
      host: '203.0.113.10:8545', user_agent: 'Go-http-client/1.1', persona: 'geth',
      body: '{"jsonrpc":"2.0","method":"eth_blockNumber","params":null,"id":7}',
      body_encoding: 'utf8', body_length: 65, incomplete: 'body_incomplete', request_count: 1 });
    expect(ctx.fields['headers']).toContainEqual(['content-length', '69']);
    expect(ctx.fields['status']).toBeUndefined();
    expect(ctx.fields['body_truncated']).toBeUndefined();
    expect(ctx.commands).toEqual(['eth_blockNumber']);
    expect(ctx.sent).toHaveLength(0);
    expect(ctx.reasons).toEqual([]);
  });

  it('keeps the path and body of a Docker create cut short', () => {
    const { ctx, session } = run(overstated('http-docker-api-create-hostmount'), 2375);
    session.close?.();
    expect(ctx.fields).toMatchObject({ method: 'POST', path: '/v1.24/containers/create',
      user_agent: 'Docker-Client/19.03.12 (linux)', body_length: 171,
      incomplete: 'body_incomplete' });
    expect(ctx.fields['body']).toContain('"Binds":["/:/mnt"]');
    expect(ctx.commands[0]).toContain('docker create alpine chroot /mnt /bin/sh -c curl');
  });

  it('gives the same record when the cut request is dissected offline', async () => {
    const out = await dissect(overstated('http-docker-api-create-hostmount'),
      { transport: 'tcp', dstPort: 2375 });
    expect(out.protocol).toBe('http');
    expect(out.fields).toMatchObject({ path: '/v1.24/containers/create', body_length: 171,
      incomplete: 'body_incomplete' });
    expect(out.malformed).toBeNull();
  });

  it('records the chunks that came of a chunked body cut short', () => {
    const { ctx, session } = run('POST /up HTTP/1.1\r\nHost: example.com\r\n' +
      'Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n wor');
    session.close?.();
    expect(ctx.fields).toMatchObject({ method: 'POST', path: '/up', host: 'example.com',
      body: 'hello wor', body_length: 9, incomplete: 'body_incomplete' });
  });

  it('records the second request of a keep-alive connection when its body is cut', () => {
    const first = 'GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n';
    const { ctx, session } = run(`${first}POST /b HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc`);
    session.close?.();
    expect(ctx.fields).toMatchObject({ path: '/a', request_count: 2 });
    expect(ctx.fields['incomplete']).toBeUndefined();
    expect(ctx.fields['requests']).toMatchObject([{ path: '/a' },
      { path: '/b', body: 'abc', body_length: 3, incomplete: 'body_incomplete' }]);
  });

  it('answers 413 to a declared body above 1 MiB', () => {
    const { ctx } = run('POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n');
    expect(ctx.text()).toMatch(/^HTTP\/1\.1 413 Request Entity Too Large/);
    expect(ctx.reasons).toEqual(['body_too_large']);
    expect(ctx.fields).toMatchObject({ method: 'POST', path: '/' });
  });

  it('records the request of a refused Content-Length with the reason', () => {
    const { ctx } = run('POST /cgi-bin/luci?x=1 HTTP/1.1\r\nHost: example.com\r\n' +
      'User-Agent: bot/1.0\r\nContent-Length: 99999999999999999999\r\n\r\n');
    expect(ctx.text()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(ctx.reasons).toEqual(['bad_content_length']);
    expect(ctx.fields).toMatchObject({ method: 'POST', path: '/cgi-bin/luci', query: 'x=1',
      host: 'example.com', user_agent: 'bot/1.0', request_count: 1 });
    expect(ctx.fields['headers']).toContainEqual(['content-length', '99999999999999999999']);
    expect(ctx.fields['persona']).toBeUndefined();
    expect(ctx.ended).toBe(true);
  });

  it('refuses conflicting Content-Length lines with 400 and records the request', () => {
    const { ctx } = run('POST /login HTTP/1.1\r\nHost: example.com\r\n' +
      'Content-Length: 10\r\nContent-Length: 20\r\n\r\n0123456789');
    expect(ctx.text()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(ctx.reasons).toEqual(['conflicting_content_length']);
    expect(ctx.fields).toMatchObject({ method: 'POST', path: '/login', host: 'example.com' });
    expect(ctx.fields['body']).toBeUndefined();
    expect(ctx.ended).toBe(true);
  });

  it('reads a body by its chunks when Content-Length comes with chunked, as nginx 1.18', () => {
    const { ctx } = run('POST /a HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\n' +
      'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n', 8000);
    expect(ctx.reasons).toEqual([]);
    expect(ctx.fields).toMatchObject({ method: 'POST', path: '/a', body: 'hello',
      body_length: 5, status: 404 });
    expect(ctx.fields['headers']).toContainEqual(['content-length', '3']);
  });

  it('records the request of an unknown transfer coding answered 501', () => {
    const { ctx } = run('POST /b HTTP/1.1\r\nTransfer-Encoding: gzip\r\n' +
      'Content-Length: 4\r\n\r\nabcd');
    expect(ctx.text()).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n/);
    expect(ctx.reasons).toEqual(['bad_transfer_encoding']);
    expect(ctx.fields).toMatchObject({ method: 'POST', path: '/b' });
  });

  it('never echoes the request into an HTML page', () => {
    const { ctx } = run('GET /<script>alert(1)</script> HTTP/1.1\r\n\r\n', 8000);
    expect(ctx.text()).not.toContain('<script>');
  });
});

describe('http personas', () => {
  it('answers eth_blockNumber as Geth with the id echoed', () => {
    const { ctx } = run(corpusBytes('seed-8545-eth-blocknumber-id7'), 8545);
    expect(ctx.text()).not.toMatch(/Server:/);
    expect(jsonBody(ctx.text())).toMatchObject({ jsonrpc: '2.0', id: 7,
      result: expect.stringMatching(/^0x[0-9a-f]+$/) as unknown });
    expect(ctx.commands).toEqual(['eth_blockNumber']);
    expect(ctx.fields['persona']).toBe('geth');
  });

  it('refuses personal_unlockAccount as Geth does and keeps the password tried', () => {
    const { ctx } = run(corpusBytes('eth-rpc-unlock-bruteforce'), 8545);
    expect(jsonBody(ctx.text())).toEqual({ jsonrpc: '2.0', id: 2, error: { code: -32000,
      message: 'could not decrypt key with given password' } });
    expect(ctx.credentials).toEqual([{ username: '0x407d73d8a49eeb85d32cf465507dd71d507100c1',
      password: '123456' }]);
  });

  it('answers batches, parse errors and unknown methods like Geth', () => {
    const post = (body: string) => run('POST / HTTP/1.1\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${body.length}\r\n\r\n${body}`, 8545).ctx.text();
    const batch = jsonBody(post('[{"jsonrpc":"2.0","method":"net_version","id":"a"},' +
      '{"jsonrpc":"2.0","method":"eth_accounts","id":2}]')) as { id: unknown }[];
    expect(batch.map((r) => r.id)).toEqual(['a', 2]);
    expect(jsonBody(post('{oops'))).toEqual({ jsonrpc: '2.0', id: null,
      error: { code: -32700, message: 'parse error' } });
    expect(jsonBody(post('{"jsonrpc":"2.0","method":"x_y","id":1}'))).toMatchObject({
      error: { code: -32601, message: 'the method x_y does not exist/is not available' } });
  });

  it('creates and starts a container as Docker 20.10 does', () => {
    const { ctx } = run(corpusBytes('http-docker-api-create-hostmount'), 2375);
    expect(ctx.text()).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    expect(jsonBody(ctx.text())).toMatchObject({ Id: expect.stringMatching(/^[0-9a-f]{64}$/) as
      unknown, Warnings: [] });
    expect(ctx.commands[0]).toContain('docker create alpine chroot /mnt /bin/sh -c curl');
    const start = run('POST /v1.24/containers/abc123/start HTTP/1.1\r\n\r\n', 2375);
    expect(start.ctx.text()).toMatch(/^HTTP\/1\.1 204 No Content\r\n/);
  });

  it('answers the Realtek AddPortMapping injection with a SOAP response', () => {
    const { ctx } = run(corpusBytes('seed-52869-upnp-addportmapping-injection'), 52869);
    expect(ctx.text()).toContain('<u:AddPortMappingResponse');
    expect(ctx.fields['soap_action']).toContain('AddPortMapping');
    expect(ctx.fields['requests']).toBeUndefined();
    expect(ctx.fields['body']).toContain('NewInternalClient');
  });

  it('answers the HG532 DeviceUpgrade exploit and GoAhead login.cgi', () => {
    expect(run(corpusBytes('http-huawei-hg532-cve-2017-17215'), 37215).ctx.text())
      .toContain('UpgradeResponse');
    const goahead = run(corpusBytes('seed-81-goahead-login-cgi'), 81).ctx.text();
    expect(goahead).toMatch(/Server: GoAhead-Webs\r\n/);
    expect(goahead).toContain('var loginuser');
  });

  it('answers Elasticsearch, CouchDB and Hadoop probes on their ports', () => {
    const es = run(corpusBytes('http-elasticsearch-groovy-cve-2015-1427'), 9200).ctx.text();
    expect(jsonBody(es)).toMatchObject({ hits: { total: 0 } });
    const couch = run(corpusBytes('http-couchdb-all-dbs'), 5984).ctx.text();
    expect(couch).toContain('Server: CouchDB/2.3.1');
    expect(jsonBody(couch)).toEqual(['_replicator', '_users']);
    const jmx = run(corpusBytes('http-hadoop-namenode-jmx'), 50070).ctx.text();
    expect(jmx).toContain('NameNodeInfo');
  });

  it('lets Geth claim a JSON-RPC call on an unrelated port', () => {
    const { ctx } = run(corpusBytes('seed-8545-eth-blocknumber-id30'), 4444);
    expect(jsonBody(ctx.text())).toMatchObject({ id: 30 });
  });

  it('asks for router credentials on port 80', () => {
    const { ctx } = run(corpusBytes('seed-8080-http-get-root'), 80);
    expect(ctx.text()).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\nServer: mini_httpd/);
    expect(ctx.text()).toContain('WWW-Authenticate: Basic realm="NETGEAR DGN1000"');
  });
});
