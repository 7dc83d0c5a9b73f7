// The commands of an SMB stream, frame by frame: a checker sends negotiate, session setup, tree
// connect and a transaction in one payload, and only the first two are in the parser's fields.
// Reads NetBIOS session framing (RFC 1002 4.3.1) and the command of each SMB1 or SMB2 header.

/** Frames read, at most; a real exchange before the server answers has a handful. */
const MAX_FRAMES = 32;
/** NetBIOS session header, then the SMB header up to the SMB2 command (MS-SMB2 2.2.1). */
const NBSS_HEADER_BYTES = 4;
const SMB1_COMMAND_AT = 4;
const SMB2_COMMAND_AT = 12;

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** The command of the SMB header at `at`, or null when there is none. */
function commandAt(payload: Buffer, at: number): string | null {
  if (at + 4 > payload.length || payload.toString('latin1', at + 1, at + 4) !== 'SMB') return null;
  if (payload[at] === 0xff && at + SMB1_COMMAND_AT < payload.length) {
    return `smb1:${hex(payload[at + SMB1_COMMAND_AT] as number)}`;
  }
  if (payload[at] === 0xfe && at + SMB2_COMMAND_AT + 2 <= payload.length) {
    return `smb2:${hex(payload.readUInt16LE(at + SMB2_COMMAND_AT))}`;
  }
  return null;
}

/** `smb_commands:` and each frame's command in order, or null when no frame holds one. */
export function smbCommandsLine(payload: Buffer): string | null {
  const commands: string[] = [];
  let at = 0;
  while (commands.length < MAX_FRAMES && at + NBSS_HEADER_BYTES <= payload.length) {
    const command = commandAt(payload, at + NBSS_HEADER_BYTES);
    if (command === null) break;
    commands.push(command);
    at += NBSS_HEADER_BYTES + payload.readUIntBE(at + 1, 3);
  }
  return commands.length === 0 ? null : `smb_commands:${commands.join(',')}`;
}
