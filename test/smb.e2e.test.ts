// End to end: Debian's smbclient lists shares anonymously, with a user, and over SMB1 against
// the SMB emulation; the dialects offered and the NTLM user are recorded.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exportEvents, type RunningSensor, sensorOnFreePort } from './helpers/sensor.js';

const HOST = '127.0.4.1';
const HAS_SMBCLIENT = spawnSync('smbclient', ['--version']).status === 0;
const CLIENT_TIMEOUT_MS = 30_000;

describe.skipIf(!HAS_SMBCLIENT)('smbclient against the SMB emulation (needs smbclient)', () => {
  let sensor: RunningSensor;
  let port: number;

  function smbclient(...args: string[]) {
    const run = spawnSync('smbclient', ['-L', `//${HOST}`, '-p', String(port), ...args],
      { encoding: 'utf8', timeout: CLIENT_TIMEOUT_MS });
    return run.stdout + run.stderr;
  }

  sensorOnFreePort(HOST, (started, free) => {
    sensor = started;
    port = free;
  });

  it('gets as far as a refused logon, anonymously and with a user', () => {
    expect(smbclient('-N')).toContain('NT_STATUS_LOGON_FAILURE');
    expect(smbclient('-U', 'alice%Secret1', '-W', 'CORP')).toContain('NT_STATUS_LOGON_FAILURE');
    smbclient('-N', '--option=client min protocol=NT1', '--option=client max protocol=NT1');
  });

  it('records the dialects offered, the one chosen and the NTLM user', async () => {
    await sensor.stop();
    const events = exportEvents(sensor.db).filter((e) => e.protocol === 'smb');
    expect(events).toHaveLength(3);
    const alice = events.find((e) => e.fields['ntlm_user'] === 'alice');
    expect(alice?.credentials).toEqual([{ username: 'alice', password: '' }]);
    expect(alice?.fields).toMatchObject({ ntlm_domain: 'CORP', dialect: '3.0.2',
      smb2_dialects: ['2.0.2', '2.1', '3.0', '3.0.2', '3.1.1'] });
    const smb1 = events.find((e) => e.fields['smb1_dialects'] !== undefined);
    expect(smb1?.fields).toMatchObject({ smb1_dialects: expect.arrayContaining(['NT LM 0.12']),
      dialect: 'NT LM 0.12', next_command: 'smb1:0x73' });
  });
});
