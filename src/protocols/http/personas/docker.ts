// An exposed Docker Engine API on 2375, modelled on Docker 20.10.24 (API 1.41) on Ubuntu:
// version and info, an empty container list, and container create/start that succeed, so
// cryptojacking bots send the image, command and host mounts they meant to run.

import { randomBytes } from 'node:crypto';
import { header, jsonReply, stripVersion, type HttpReply, type HttpRequest, type Persona,
  type PersonaRecorder } from '../persona.js';

const API = '1.41';
const SERVER = 'Docker/20.10.24 (linux)';
const MAX_COMMAND_CHARS = 1024;

function headers(): [string, string][] {
  return [['Api-Version', API], ['Docker-Experimental', 'false'], ['Ostype', 'linux'],
    ['Server', SERVER]];
}

function ok(status: number, value: unknown): HttpReply {
  return jsonReply(status, value, headers());
}

const VERSION = {
  Platform: { Name: 'Docker Engine - Community' }, Version: '20.10.24', ApiVersion: API,
  MinAPIVersion: '1.12', GitCommit: '5d6db84', GoVersion: 'go1.19.7', Os: 'linux',
  Arch: 'amd64', KernelVersion: '5.15.0-76-generic',
  BuildTime: '2023-04-04T10:19:30.000000000+00:00',
};

const INFO = {
  ID: 'K3VJ:2XQW:FOJM:5QJR:N7GH:KQ2V:HB4Y:Y6LT:WMQS:2T3W:RVUN:6MPR', Containers: 0,
  ContainersRunning: 0, ContainersPaused: 0, ContainersStopped: 0, Images: 3,
  Driver: 'overlay2', MemoryLimit: true, SwapLimit: false, CgroupDriver: 'systemd',
  CgroupVersion: '2', NEventsListener: 0, KernelVersion: '5.15.0-76-generic',
  OperatingSystem: 'Ubuntu 22.04.2 LTS', OSType: 'linux', Architecture: 'x86_64', NCPU: 4,
  MemTotal: 8324382720, Name: 'ip-172-31-24-9', ServerVersion: '20.10.24',
  DockerRootDir: '/var/lib/docker', Swarm: { LocalNodeState: 'inactive' },
};

/** The container's command as one line, for `commands`; never run. */
function describeCreate(body: Buffer, rec: PersonaRecorder): void {
  let spec: unknown;
  try {
    spec = JSON.parse(body.toString('utf8'));
  } catch {
    return; // A body that is not JSON: Docker answers 400 below; nothing to describe.
  }
  if (typeof spec !== 'object' || spec === null) return;
  const { Image, Cmd, Entrypoint } = spec as Record<string, unknown>;
  const words = [Entrypoint, Cmd].flatMap((v) => (Array.isArray(v) ? v : v ? [v] : []));
  const line = `docker create ${String(Image ?? '')} ${words.map(String).join(' ')}`.trim();
  rec.command(line.slice(0, MAX_COMMAND_CHARS));
}

function isJsonObject(body: Buffer): boolean {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null;
  } catch {
    return false; // Unparsable: the caller answers 400 like dockerd.
  }
}

type Route = [method: string, path: RegExp, answer: (req: HttpRequest, rec: PersonaRecorder)
  => HttpReply];

const ROUTES: readonly Route[] = [
  ['GET', /^\/_ping$/, () => ({ status: 200, headers: [...headers(),
    ['Content-Type', 'text/plain; charset=utf-8']], body: 'OK' })],
  ['GET', /^\/version$/, () => ok(200, VERSION)],
  ['GET', /^\/info$/, () => ok(200, INFO)],
  ['GET', /^\/containers\/json$/, () => ok(200, [])],
  ['GET', /^\/images\/json$/, () => ok(200, [])],
  ['POST', /^\/containers\/create$/, (req, rec) => {
    describeCreate(req.body, rec);
    if (!isJsonObject(req.body)) return ok(400, { message: 'invalid JSON' });
    return ok(201, { Id: randomBytes(32).toString('hex'), Warnings: [] });
  }],
  ['POST', /^\/containers\/[\w.-]{1,128}\/(start|stop|kill|restart)$/,
    () => ({ status: 204, headers: headers(), body: '' })],
  ['POST', /^\/containers\/[\w.-]{1,128}\/wait$/, () => ok(200, { StatusCode: 0 })],
  ['POST', /^\/containers\/[\w.-]{1,128}\/exec$/,
    () => ok(201, { Id: randomBytes(32).toString('hex') })],
  ['POST', /^\/images\/create$/, () => ok(200, { status: 'Status: Image is up to date' })],
];

export const docker: Persona = {
  name: 'docker',
  product: 'Docker Engine 20.10.24 (API 1.41)',
  ports: [2375, 2376],
  claims: (req) => /^Docker-Client\//.test(header(req, 'user-agent') ?? '') ||
    /^\/v1\.\d+\/(containers|images|exec|info|version)/.test(req.path),
  respond(req, rec) {
    const path = stripVersion(req.path);
    for (const [method, pattern, answer] of ROUTES) {
      if (method === req.method && pattern.test(path)) return answer(req, rec);
    }
    return ok(404, { message: 'page not found' });
  },
};
