// The server's side of a refused login, as Microsoft SQL Server 2019 RTM (15.0.2000) sends it:
// the PRELOGIN response (MS-TDS 2.2.6.5) and the ERROR 18456 + DONE token stream (2.2.7).

/** SQL Server 2019 RTM: 15.0.2000.5; nmap's ms-sql-s match reads the first four bytes. */
const VERSION = Buffer.from([15, 0, 0x07, 0xd0, 0, 5]);
/**
 * ENCRYPT_NOT_SUP: a server without a certificate. A real 2019 always has a self-signed one and
 * says ENCRYPT_OFF, which makes clients wrap LOGIN7 in TLS; answering NOT_SUP keeps it readable.
 */
const ENCRYPT_NOT_SUP = 0x02;
export const OPTION_MARS = 0x04;
const TYPE_TABULAR_RESULT = 0x04;
const STATUS_EOM = 0x01;
/** A server name of the kind Windows setup generates; SQL Server names itself in errors. */
export const SERVER_NAME = 'WIN-3J8RMQ0TGK4';
const LOGIN_FAILED = 18456;
const LOGIN_FAILED_CLASS = 14;
/** SQL Server always tells the client state 1; the real reason goes to its own error log. */
const LOGIN_FAILED_STATE = 1;
const TOKEN_ERROR = 0xaa;
const TOKEN_DONE = 0xfd;
const DONE_ERROR = 0x0002;
const TDS_72 = 0x72000000;

/** A TDS packet: 8-byte header (type, status, length, SPID 0, packet id 1, window 0). */
function packet(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = type;
  header[1] = STATUS_EOM;
  header.writeUInt16BE(8 + payload.length, 2);
  header[6] = 1;
  return Buffer.concat([header, payload]);
}

/**
 * The PRELOGIN answer: VERSION, ENCRYPTION, INSTOPT (0: the instance matched), THREADID (empty,
 * as the server sends it) and MARS (off) when the client asked, in the order the client uses.
 */
export function preloginResponse(clientSentMars: boolean): Buffer {
  const options: [number, Buffer][] = [
    [0x00, VERSION], [0x01, Buffer.from([ENCRYPT_NOT_SUP])], [0x02, Buffer.from([0])],
    [0x03, Buffer.alloc(0)],
  ];
  if (clientSentMars) options.push([OPTION_MARS, Buffer.from([0])]);
  const table = Buffer.alloc(options.length * 5 + 1);
  let offset = table.length;
  options.forEach(([token, data], i) => {
    table[i * 5] = token;
    table.writeUInt16BE(offset, i * 5 + 1);
    table.writeUInt16BE(data.length, i * 5 + 3);
    offset += data.length;
  });
  table[table.length - 1] = 0xff;
  return packet(TYPE_TABULAR_RESULT, Buffer.concat([table, ...options.map(([, d]) => d)]));
}

function usVarchar(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  const length = Buffer.alloc(2);
  length.writeUInt16LE(text.length);
  return Buffer.concat([length, bytes]);
}

function bVarchar(text: string): Buffer {
  return Buffer.concat([Buffer.from([text.length]), Buffer.from(text, 'utf16le')]);
}

function errorToken(message: string, tdsVersion: number): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt32LE(LOGIN_FAILED, 0);
  head[4] = LOGIN_FAILED_STATE;
  head[5] = LOGIN_FAILED_CLASS;
  const line = Buffer.alloc(tdsVersion >= TDS_72 ? 4 : 2, 0);
  line[0] = 1;
  const body = Buffer.concat([head, usVarchar(message), bVarchar(SERVER_NAME), bVarchar(''), line]);
  const length = Buffer.alloc(3);
  length[0] = TOKEN_ERROR;
  length.writeUInt16LE(body.length, 1);
  return Buffer.concat([length, body]);
}

function doneToken(tdsVersion: number): Buffer {
  const done = Buffer.alloc(tdsVersion >= TDS_72 ? 13 : 9);
  done[0] = TOKEN_DONE;
  done.writeUInt16LE(DONE_ERROR, 1);
  return done;
}

/** "Login failed for user '<name>'." then DONE with the error bit; the server then hangs up. */
export function loginFailed(username: string, tdsVersion: number): Buffer {
  const message = `Login failed for user '${username}'.`;
  const tokens = Buffer.concat([errorToken(message, tdsVersion), doneToken(tdsVersion)]);
  return packet(TYPE_TABULAR_RESULT, tokens);
}
