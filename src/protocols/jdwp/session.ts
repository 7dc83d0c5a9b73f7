// One JDWP connection answered like the debug agent of Debian 12's OpenJDK 17.0.15 (bytes
// checked against captures in fixtures/): the handshake echoed, VirtualMachine Version, IDSizes
// and capabilities answered, the rest refused. Commands are recorded by name; nothing runs.

import { FrameBuffer } from '../framing.js';
import type { Session, SessionContext } from '../types.js';
import { encodeReply, encodeString, HANDSHAKE, readHandshake, readPacket, readString,
  REPLY_FLAG, type CommandPacket } from './parse.js';

export const MAX_RECORDED_COMMANDS = 256;
const MAX_STRING_CHARS = 512;
/** JDWP Error constants (JDWP specification, "Error Constants"). */
const INVALID_OBJECT = 20;
const NOT_IMPLEMENTED = 99;
/** What the agent answers when a command's data is too short to read (inStream errors). */
const INTERNAL = 113;
const OBJECT_ID_BYTES = 8;

const VERSION_TEXT = 'Java Debug Wire Protocol (Reference Implementation) version 17.0\n' +
  'JVM Debug Interface version 17.0\n' +
  'JVM version 17.0.15 (OpenJDK 64-Bit Server VM, mixed mode, sharing)';

const COMMAND_NAMES: Record<string, string> = {
  '1.1': 'VirtualMachine.Version', '1.2': 'VirtualMachine.ClassesBySignature',
  '1.3': 'VirtualMachine.AllClasses', '1.4': 'VirtualMachine.AllThreads',
  '1.6': 'VirtualMachine.Dispose', '1.7': 'VirtualMachine.IDSizes',
  '1.8': 'VirtualMachine.Suspend', '1.9': 'VirtualMachine.Resume',
  '1.10': 'VirtualMachine.Exit', '1.11': 'VirtualMachine.CreateString',
  '1.12': 'VirtualMachine.Capabilities', '1.13': 'VirtualMachine.ClassPaths',
  '1.17': 'VirtualMachine.CapabilitiesNew',
  '1.20': 'VirtualMachine.AllClassesWithGeneric', '2.5': 'ReferenceType.Methods',
  '3.3': 'ClassType.InvokeMethod', '9.6': 'ObjectReference.InvokeMethod',
  '11.1': 'ThreadReference.Name', '15.1': 'EventRequest.Set', '15.2': 'EventRequest.Clear',
};

function ints(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeInt32BE(v, i * 4));
  return out;
}

type Reply = (packet: CommandPacket) => Buffer;

/** A few loaded classes with the ids OpenJDK gave them; a JVM never reports none. */
const CLASSES: readonly [id: number, signature: string][] = [
  [0x101, 'Ljava/lang/Object;'], [0x102, 'Ljava/lang/String;'], [0x103, 'Ljava/lang/System;'],
  [0x104, 'Ljava/lang/Thread;'], [0x105, 'Ljava/lang/Runtime;'], [0x106, 'LSleep;'],
];
/** ClassStatus VERIFIED | PREPARED | INITIALIZED. */
const CLASS_READY = 7;
const CLASS_TAG = 1;

function classEntry(id: number, signature: string, generic: boolean): Buffer {
  const head = Buffer.alloc(9);
  head[0] = CLASS_TAG;
  head.writeBigUInt64BE(BigInt(id), 1);
  return Buffer.concat([head, encodeString(signature),
    generic ? encodeString('') : Buffer.alloc(0), ints(CLASS_READY)]);
}

function allClasses(generic: boolean): Buffer {
  return Buffer.concat([ints(CLASSES.length),
    ...CLASSES.map(([id, signature]) => classEntry(id, signature, generic))]);
}

/** ClassesBySignature: the class when we list it, else none. */
function bySignature(packet: CommandPacket): Buffer {
  const wanted = readString(packet.data);
  const found = CLASSES.find(([, signature]) => signature === wanted);
  if (found === undefined) return ints(0);
  const head = Buffer.alloc(9);
  head[0] = CLASS_TAG;
  head.writeBigUInt64BE(BigInt(found[0]), 1);
  return Buffer.concat([ints(1), head, ints(CLASS_READY)]);
}

const REPLIES: Record<string, Reply> = {
  '1.1': () => Buffer.concat([encodeString(VERSION_TEXT), ints(17, 0),
    encodeString('17.0.15'), encodeString('OpenJDK 64-Bit Server VM')]),
  '1.2': bySignature,
  '1.3': () => allClasses(false),
  '1.4': () => ints(0),
  '1.6': () => Buffer.alloc(0),
  '1.7': () => ints(8, 8, 8, 8, 8),
  '1.8': () => Buffer.alloc(0),
  '1.9': () => Buffer.alloc(0),
  '1.11': () => Buffer.from('0000000000000199', 'hex'),
  '1.12': () => Buffer.from('01010101010101', 'hex'),
  '1.13': () => Buffer.concat([encodeString('/opt/app'), ints(1),
    encodeString('/opt/app/app.jar'), ints(0)]),
  '1.17': () => Buffer.from('0101010101010101000001010101010101010001010000000000000000000000',
    'hex'),
  '1.20': () => allClasses(true),
  '15.1': () => ints(2),
  '15.2': () => Buffer.alloc(0),
};

/** A command we do not serve: unknown ones NOT_IMPLEMENTED, known ones a bad object id. */
function refusal(key: string, packet: CommandPacket): number {
  if (!Object.hasOwn(COMMAND_NAMES, key)) return NOT_IMPLEMENTED;
  return packet.data.length < OBJECT_ID_BYTES ? INTERNAL : INVALID_OBJECT;
}

export class JdwpSession implements Session {
  readonly #ctx: SessionContext;
  readonly #frames = new FrameBuffer();
  #shaken = false;
  #closed = false;
  #packets = 0;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
  }

  data(chunk: Buffer): void {
    if (this.#closed) return;
    this.#frames.push(chunk);
    if (!this.#shaken && !this.#handshake()) return;
    const bad = this.#frames.drain(readPacket, (result) => {
      this.#command(result.packet);
      return !this.#closed;
    });
    if (bad !== undefined) this.#fail(bad.reason);
  }

  #handshake(): boolean {
    const state = readHandshake(this.#frames.bytes);
    if (state === 'incomplete') return false;
    if (state === 'malformed') {
      this.#fail('bad_handshake');
      return false;
    }
    this.#shaken = true;
    this.#ctx.fields['handshake'] = true;
    this.#ctx.send(HANDSHAKE);
    this.#frames.consume(HANDSHAKE.length);
    return true;
  }

  /** The agent drops a debugger that breaks the framing. */
  #fail(reason: string): void {
    this.#ctx.malformed(reason);
    this.#closed = true;
    this.#frames.clear();
    this.#ctx.end();
  }

  #command(packet: CommandPacket): void {
    this.#packets++;
    this.#ctx.fields['packets'] = this.#packets;
    if ((packet.flags & REPLY_FLAG) !== 0) return;
    const key = `${packet.commandSet}.${packet.command}`;
    this.#record(key, packet);
    const reply = Object.hasOwn(REPLIES, key) ? REPLIES[key] : undefined;
    this.#ctx.send(reply === undefined ? encodeReply(packet.id, refusal(key, packet))
      : encodeReply(packet.id, 0, reply(packet)));
    if (key === '1.6' || key === '1.10') this.#closeAfterDispose();
  }

  #record(key: string, packet: CommandPacket): void {
    if (this.#ctx.commands.length >= MAX_RECORDED_COMMANDS) return;
    const name = Object.hasOwn(COMMAND_NAMES, key) ? COMMAND_NAMES[key] : undefined;
    let line = name ?? `CommandSet${packet.commandSet}.Command${packet.command}`;
    // CreateString carries the text jdwp-shellifier later passes to Runtime.exec.
    const text = key === '1.11' ? readString(packet.data) : null;
    if (text !== null) line += ` ${JSON.stringify(text.slice(0, MAX_STRING_CHARS))}`;
    this.#ctx.commands.push(line);
  }

  /** Dispose and Exit end the debugging session: the agent closes the connection. */
  #closeAfterDispose(): void {
    this.#closed = true;
    this.#ctx.end();
  }
}
