// `mitsu start`: loads the config, opens the store, starts the sensor, logs one start-up
// summary, drops root, and on SIGTERM/SIGINT records what is open and flushes before exit.

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { parsePortsFlag } from '../../config/flags.js';
import { loadConfig, resolvePorts, type ConfigOverrides } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { isMitsuError, MitsuError } from '../../lib/errors.js';
import type { Logger } from '../../lib/log.js';
import { describePorts } from '../../lib/ports.js';
import { dropPrivileges, lookupAccount, runningAsRoot } from '../../sensor/privileges.js';
import { Sensor, type SensorSummary } from '../../sensor/sensor.js';
import { ThreadedSink } from '../../store/threaded-sink.js';
import type { TransformSpec } from '../../store/worker-protocol.js';
import { analysisTransform, type LiveAnalysis } from '../analysis.js';
import type { CliContext, RegisterCommand } from '../command.js';

interface StartOptions {
  config?: string;
  db?: string;
  ports?: string;
  mode?: string;
  listen?: string;
  proxyProtocol?: string;
  name?: string;
  jsonl?: string;
}

function overrides(opts: StartOptions): ConfigOverrides {
  const out: ConfigOverrides = {};
  if (opts.db !== undefined) out['store'] = { path: opts.db };
  if (opts.ports !== undefined) out['ports'] = parsePortsFlag(opts.ports);
  if (opts.mode !== undefined) out['mode'] = opts.mode;
  if (opts.listen !== undefined) out['listen'] = opts.listen.split(',').map((a) => a.trim());
  if (opts.proxyProtocol !== undefined) out['proxy_protocol'] = opts.proxyProtocol;
  if (opts.name !== undefined) out['sensor'] = { name: opts.name };
  if (opts.jsonl !== undefined) out['jsonl'] = { path: opts.jsonl };
  return out;
}

/** An output path that cannot be written at start is a configuration error: name the keys. */
async function openSink(config: Config, log: Logger, transform?: TransformSpec):
  Promise<ThreadedSink> {
  try {
    return await openThreadedSink(config, log, transform);
  } catch (err) {
    if (!isMitsuError(err, 'MITSU_STORE_UNAVAILABLE')) throw err;
    throw new MitsuError('MITSU_CONFIG_INVALID', `cannot record events: ${err.message}`,
      'choose writable paths for store.path (--db) and jsonl.path (--jsonl)', { cause: err });
  }
}

function openThreadedSink(config: Config, log: Logger, transform?: TransformSpec):
  Promise<ThreadedSink> {
  return ThreadedSink.open({
    ...(transform && { transform }),
    store: { kind: 'sqlite', path: config.store.path },
    jsonl: config.jsonl.path === null ? undefined
      : { path: config.jsonl.path, maxBytes: config.jsonl.max_bytes, keep: config.jsonl.keep },
    batchMaxEvents: config.store.batch_max_events,
    batchMaxMs: config.store.batch_max_ms,
    // The error names what failed: a batch (kept for retry), dropped events, or analysis.
    onError: (err: unknown) => log.error({ err }, 'event storage degraded'),
  });
}

/** One line per problem, each saying how to fix it; never one line per port. */
function warnSkips(summary: SensorSummary, log: Logger): void {
  const { tcp, udp, plan } = summary;
  const skipped = (r: keyof typeof tcp.skipped) => tcp.skipped[r] + udp.skipped[r];
  if (skipped('fd_limit') > 0) {
    log.warn({ limit: plan.fdLimit, fits: plan.tcp.length + plan.udp.length,
      wanted: plan.fdsWanted }, `open-file limit ${plan.fdLimit} fits ` +
      `${plan.tcp.length + plan.udp.length} listeners; raise it to ${plan.fdsWanted} ` +
      `(ulimit -n, or LimitNOFILE= in the systemd unit) or use --mode redirect`);
  }
  if (skipped('privileged') > 0) {
    log.warn({ skipped: skipped('privileged') }, 'ports below 1024 skipped: start as root ' +
      '(Mitsu drops to `user` after binding) or grant the capability with ' +
      '`sudo setcap cap_net_bind_service=+ep "$(readlink -f "$(which node)")"`');
  }
  if (skipped('in_use') > 0) {
    log.info({ skipped: skipped('in_use') }, 'ports already in use by other services skipped');
  }
  if (skipped('failed') + skipped('unavailable') > 0) {
    log.warn({ failed: skipped('failed'), unavailable: skipped('unavailable'),
      first_error: tcp.firstFailure ?? udp.firstFailure }, 'some listeners could not be opened');
  }
}

function logSummary(config: Config, summary: SensorSummary, log: Logger,
  analysis?: LiveAnalysis): void {
  const { tcp, udp, plan } = summary;
  const sum = (t: typeof tcp) => Object.values(t.skipped).reduce((a, b) => a + b, 0);
  log.info({
    mode: summary.mode, sensor: config.sensor.name, addresses: plan.addresses,
    tcp_bound: tcp.bound, tcp_skipped: sum(tcp), udp_bound: udp.bound, udp_skipped: sum(udp),
    skipped_by_reason: Object.fromEntries(Object.keys(tcp.skipped).map((k) => [k,
      tcp.skipped[k as keyof typeof tcp.skipped] + udp.skipped[k as keyof typeof udp.skipped]])
      .filter(([, n]) => (n as number) > 0)),
    max_connections: plan.maxConnections, store: resolve(config.store.path),
    redirect_port: summary.mode === 'redirect' ? config.redirect.listen_port : undefined,
    rules: analysis?.classifier.rules.length ?? 0,
    rules_version: analysis?.classifier.version ?? null,
  }, 'sensor started');
}

/** Folders for the outputs, created now; returns the ones Mitsu made (to hand over). */
function makeOutputDirs(config: Config): string[] {
  const made: string[] = [];
  const outputs = [config.store.path, config.jsonl.path].filter((p) => p !== null);
  for (const output of outputs) {
    const missing: string[] = [];
    for (let dir = dirname(resolve(output)); !existsSync(dir); dir = dirname(dir)) {
      missing.push(dir);
    }
    if (missing.length === 0) continue;
    try {
      mkdirSync(dirname(resolve(output)), { recursive: true });
    } catch (err) {
      throw new MitsuError('MITSU_CONFIG_INVALID', `cannot create the folder of ${output} ` +
        `(${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        'choose writable paths for store.path (--db) and jsonl.path (--jsonl)', { cause: err });
    }
    made.push(...missing);
  }
  return made;
}

/**
 * Checks what would make start-up fail after binding, before anything is bound. (A too-low
 * open-file limit is caught earlier, in bin/mitsu.js, before Node loads the modules.)
 */
function preflight(config: Config): void {
  if (!runningAsRoot() || config.user === 'root' || lookupAccount(config.user)) return;
  throw new MitsuError('MITSU_CONFIG_INVALID', `config key user: user ${JSON.stringify(
    config.user)} does not exist`, 'create it (useradd --system mitsu) or set `user:` to an ' +
    'existing user');
}

function handOver(config: Config, madeDirs: readonly string[], log: Logger): void {
  if (!runningAsRoot()) return;
  if (config.user === 'root') {
    log.warn('running as root after binding because `user: root` is set');
    return;
  }
  const path = config.store.path;
  const files = [...madeDirs, path, `${path}-wal`, `${path}-shm`];
  if (config.jsonl.path !== null) files.push(config.jsonl.path);
  const account = dropPrivileges(config.user, files);
  log.info({ user: config.user, uid: account.uid }, 'dropped root after binding');
}

/** Nothing bound at all is a configuration problem, not a sensor worth running. */
function requireListeners(summary: SensorSummary): void {
  if (summary.tcp.bound + summary.udp.bound > 0) return;
  throw new MitsuError('MITSU_CONFIG_INVALID', `no listener could be opened on ` +
    `${summary.plan.addresses.join(', ')}: every port was taken, privileged or unavailable`,
    'check --listen (an address of this machine) and --ports');
}

/** Traps SIGTERM and SIGINT from the start, so a signal during start-up still stops cleanly. */
function trapSignals(log: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(1);
      }
      stopping = true;
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

async function shutdown(sensor: Sensor, sink: ThreadedSink, log: Logger, signal: string) {
  log.info({ signal, open: sensor.openConnections }, 'stopping: recording open connections');
  await sensor.stop();
  await sink.close();
  const stopped = { recorded: sensor.recorded, failures: sensor.failures(),
    udp_shed: sensor.udpShed };
  const { copyMissed } = sink.stats;
  if (copyMissed === 0) log.info(stopped, 'sensor stopped; every event written');
  else {
    log.warn({ ...stopped, jsonl_missed: copyMissed }, 'sensor stopped; every event stored, ' +
      `but ${copyMissed} are missing from the JSON-lines copy (see the errors above)`);
  }
}

/**
 * Start-up ends with the summary line: once it is printed, the sensor is recording. A failure
 * after the store is open closes what was opened (keeping any event already recorded).
 */
async function start(opts: StartOptions, ctx: CliContext): Promise<void> {
  const config = loadConfig(opts.config, overrides(opts));
  const log = ctx.log;
  log.level = config.log_level;
  const ports = resolvePorts(config.ports);
  preflight(config);
  const madeDirs = makeOutputDirs(config);
  const stopSignal = trapSignals(log);
  const analysis = await analysisTransform(config, log);
  const sink = await openSink(config, log, analysis?.transform);
  const sensor = new Sensor(config, sink, log.child({ sensor: config.sensor.name }));
  try {
    const summary = await sensor.start(ports);
    requireListeners(summary);
    warnSkips(summary, log);
    log.debug({ tcp: describePorts(summary.plan.tcp.map((t) => t.port)) }, 'tcp ports');
    handOver(config, madeDirs, log);
    logSummary(config, summary, log, analysis);
  } catch (err) {
    await sensor.stop();
    await sink.close();
    throw err;
  }
  await shutdown(sensor, sink, log, await stopSignal);
}

export const registerStart: RegisterCommand = (program: Command, ctx) => {
  program.command('start')
    .description('start the sensor: listen, record every connection, store events')
    .option('-c, --config <file>', 'YAML config file (see docs/configuration.md)')
    .option('--db <path>', 'SQLite store path (default data/mitsu.db)')
    .option('--ports <profile|list>', 'default | all | none, or tcp:22,tcp:8000-8100,udp:53')
    .option('--mode <mode>', 'bind (one listener per port) or redirect (nftables, all ports)')
    .option('--listen <addrs>', 'addresses to listen on, comma-separated (default ::, dual-stack)')
    .option('--proxy-protocol <when>', 'off | on | optional: read a PROXY v1/v2 header first')
    .option('--name <name>', 'sensor name recorded in every event (default: host name)')
    .option('--jsonl <path>', 'also append every event to this JSON-lines file')
    .action((opts: StartOptions) => start(opts, ctx()));
};
