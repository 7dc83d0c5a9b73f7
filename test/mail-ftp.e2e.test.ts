// End to end: Debian's real `curl` logs in to the FTP, SMTP, POP3 and IMAP emulations on their
// usual ports of this file's own loopback address, and the sensor records each login. The
// servers refuse every login, so curl fails the way it fails against a real server.

import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../src/events/event.js';
import { exportEvents, startSensor, type RunningSensor } from './helpers/sensor.js';

const HOST = '127.0.5.1';
const HAS_CURL = spawnSync('curl', ['--version']).status === 0;
const CURL_TIMEOUT_MS = 20_000;
const PORTS = { ftp: 21, smtp: 25, pop3: 110, imap: 143 };

function curl(...args: string[]) {
  return spawnSync('curl', ['-sS', '--max-time', '10', ...args],
    { encoding: 'utf8', timeout: CURL_TIMEOUT_MS });
}

describe.skipIf(!HAS_CURL)('curl against the mail and FTP emulations (needs curl)', () => {
  let sensor: RunningSensor;
  let events: MitsuEvent[] = [];
  const outputs: Record<string, string> = {};

  beforeAll(async () => {
    sensor = await startSensor({ ports: Object.values(PORTS).map((p) => `tcp:${p}`).join(','),
      listen: HOST });
    const results = {
      ftp: curl(`ftp://ftpuser:ftp-pass@${HOST}/`),
      smtp: curl(`smtp://${HOST}/`, '--mail-from', 'spam@example.com', '--mail-rcpt',
        'victim@example.org', '--user', 'smtpuser:smtp-pass', '--upload-file', '-'),
      pop3: curl(`pop3://popuser:pop-pass@${HOST}/`),
      imap: curl(`imap://imapuser:imap-pass@${HOST}/`),
      imapLogin: curl('--login-options', 'AUTH=LOGIN', `imap://old:school@${HOST}/`),
    };
    for (const [name, out] of Object.entries(results)) outputs[name] = out.stderr;
    await sensor.stop();
    events = exportEvents(sensor.db);
  }, 90_000);

  afterAll(async () => {
    await sensor?.stop();
  });

  function only(protocol: string, port: number): MitsuEvent[] {
    return events.filter((e) => e.protocol === protocol && e.dst_port === port);
  }

  it('records the FTP USER/PASS that curl sends after the vsftpd banner', () => {
    expect(outputs['ftp']).toMatch(/Access denied: 530/);
    const [event] = only('ftp', PORTS.ftp);
    expect(event?.credentials).toEqual([{ username: 'ftpuser', password: 'ftp-pass' }]);
    expect(event?.commands.slice(0, 2)).toEqual(['USER ftpuser', 'PASS ftp-pass']);
  });

  it('records the SMTP AUTH credentials and the envelope greeting', () => {
    expect(outputs['smtp']).toMatch(/Login denied|535/);
    const [event] = only('smtp', PORTS.smtp);
    expect(event?.credentials).toEqual([{ username: 'smtpuser', password: 'smtp-pass' }]);
    expect(event?.fields['helo']).toEqual(expect.any(String));
    expect(event?.commands[0]).toMatch(/^EHLO /);
  });

  it('records the POP3 login curl makes with SASL PLAIN', () => {
    expect(outputs['pop3']).toMatch(/Login denied|Authentication failed/i);
    const [event] = only('pop3', PORTS.pop3);
    expect(event?.credentials).toEqual([{ username: 'popuser', password: 'pop-pass' }]);
    expect(event?.commands[0]).toBe('CAPA');
  });

  it('records IMAP logins by AUTHENTICATE PLAIN (with SASL-IR) and AUTHENTICATE LOGIN', () => {
    expect(outputs['imap']).toMatch(/Login denied|Authentication failed/i);
    const credentials = only('imap', PORTS.imap).flatMap((e) => e.credentials);
    expect(credentials).toEqual(expect.arrayContaining([
      { username: 'imapuser', password: 'imap-pass' }, { username: 'old', password: 'school' },
    ]));
    const commands = only('imap', PORTS.imap).flatMap((e) => e.commands);
    expect(commands).toContainEqual(expect.stringMatching(/^[A-Z]\d+ CAPABILITY$/));
    expect(commands).toContainEqual(expect.stringMatching(/^[A-Z]\d+ AUTHENTICATE LOGIN /));
  });
});
