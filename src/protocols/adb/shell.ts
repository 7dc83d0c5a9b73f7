// The device persona and its fake shell: an Android 7.1.2 RK3399 TV box with adbd open on
// 5555 and no authentication (ro.adb.secure=0). Commands are recorded and answered from a
// table of canned outputs; nothing is ever run.

/** adbd's CNXN banner (Android 7.1 adb.cpp get_connection_string); N's features. */
export const DEVICE_BANNER = 'device::ro.product.name=rk3399_all;ro.product.model=rk3399-all;' +
  'ro.product.device=rk3399_all;features=cmd,shell_v2';

/** mksh's PS1 on Android 7: the device name, the directory, and $ for the shell user. */
export const PROMPT = 'rk3399_all:/ $ ';

const ID = 'uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),' +
  '1011(adb),1015(sdcard_rw),1028(sdcard_r),3001(net_bt_admin),3002(net_bt),3003(inet),' +
  '3006(net_bw_stats),3009(readproc) context=u:r:shell:s0';

const OUTPUTS: Record<string, string> = {
  'id': ID,
  'whoami': 'shell',
  'uname -a': 'Linux localhost 4.4.126 #12 SMP PREEMPT Fri Mar 20 17:41:08 CST 2020 aarch64',
  'uname -m': 'aarch64',
  'getprop ro.product.model': 'rk3399-all',
  'getprop ro.product.cpu.abi': 'arm64-v8a',
  'getprop ro.build.version.release': '7.1.2',
  'pwd': '/',
  'echo $0': '/system/bin/sh',
  'cat /proc/cpuinfo | grep Hardware': 'Hardware\t: rockchip,rk3399-mid',
};

/** The canned output of one command line (with a trailing newline), or "" for silence. */
export function shellOutput(command: string): string {
  const key = command.trim();
  const out = Object.hasOwn(OUTPUTS, key) ? OUTPUTS[key] : undefined;
  return out === undefined ? '' : `${out}\n`;
}

/** Longest line an interactive shell buffers before treating it as typed in full. */
export const MAX_TYPED_LINE_BYTES = 4096;

/**
 * A terminal line discipline for interactive shells: echoes what is typed (CR as CRLF, as a
 * pty does), and hands back each finished line with the output and prompt to send after it.
 */
export class TypedLines {
  #line: number[] = [];
  #afterCr = false;

  /** Returns the bytes to echo and the lines finished by this input. */
  feed(input: Buffer): { echo: Buffer; lines: string[] } {
    const echo: number[] = [];
    const lines: string[] = [];
    for (const byte of input) {
      const lfAfterCr = byte === 0x0a && this.#afterCr;
      this.#afterCr = byte === 0x0d;
      if (lfAfterCr) continue;
      if (byte === 0x0d || byte === 0x0a) {
        echo.push(0x0d, 0x0a);
        lines.push(Buffer.from(this.#line).toString('latin1'));
        this.#line = [];
      } else if (byte === 0x7f || byte === 0x08) {
        if (this.#line.pop() !== undefined) echo.push(0x08, 0x20, 0x08);
      } else if (this.#line.length < MAX_TYPED_LINE_BYTES) {
        this.#line.push(byte);
        echo.push(byte);
      }
    }
    return { echo: Buffer.from(echo), lines };
  }
}

/** What an interactive shell sends after a typed line: its output in CRLF form, a prompt. */
export function replyToLine(line: string): Buffer {
  if (line.trim() === '') return Buffer.from(PROMPT, 'latin1');
  const out = shellOutput(line).replace(/\n/g, '\r\n');
  return Buffer.from(out + PROMPT, 'latin1');
}
