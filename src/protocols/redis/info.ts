// The INFO text of Redis 6.0.16 as Ubuntu 22.04 packages it (redis-server 5:6.0.16-1ubuntu1),
// trimmed to the fields scanners and nmap's redis-info read; values drawn once per process.

import { randomBytes } from 'node:crypto';

export const REDIS_VERSION = '6.0.16';

const RUN_ID = randomBytes(20).toString('hex');
const PROCESS_ID = 700 + Math.floor(Math.random() * 2000);
const STARTED_MS = Date.now() - (3 + Math.floor(Math.random() * 40)) * 86_400_000;

export interface InfoState {
  port: number;
  keys: number;
  role: 'master' | 'slave';
  masterHost: string;
  masterPort: number;
  lastSaveMs: number;
}

function server(s: InfoState): string[] {
  const uptime = Math.floor((Date.now() - STARTED_MS) / 1000);
  return [
    `redis_version:${REDIS_VERSION}`, 'redis_git_sha1:00000000', 'redis_git_dirty:0',
    'redis_build_id:a3fdef44459b3ad6', 'redis_mode:standalone',
    'os:Linux 5.15.0-91-generic x86_64', 'arch_bits:64', 'multiplexing_api:epoll',
    'atomicvar_api:atomic-builtin', 'gcc_version:11.2.0', `process_id:${PROCESS_ID}`,
    `run_id:${RUN_ID}`, `tcp_port:${s.port}`, `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86_400)}`, 'hz:10', 'configured_hz:10',
    `lru_clock:${Math.floor(Date.now() / 1000) % 16_777_216}`,
    'executable:/usr/bin/redis-server', 'config_file:/etc/redis/redis.conf', 'io_threads_active:0',
  ];
}

function clients(): string[] {
  return ['connected_clients:1', 'client_recent_max_input_buffer:16', 'blocked_clients:0',
    'client_recent_max_output_buffer:0', 'tracking_clients:0', 'clients_in_timeout_table:0'];
}

function memory(): string[] {
  return ['used_memory:873480', 'used_memory_human:853.01K', 'used_memory_rss:6787072',
    'used_memory_rss_human:6.47M', 'used_memory_peak:935480', 'used_memory_peak_human:913.55K',
    'total_system_memory:2079297536', 'total_system_memory_human:1.94G', 'maxmemory:0',
    'maxmemory_human:0B', 'maxmemory_policy:noeviction', 'mem_fragmentation_ratio:8.17',
    'mem_allocator:jemalloc-5.2.1', 'active_defrag_running:0', 'lazyfree_pending_objects:0'];
}

function persistence(s: InfoState): string[] {
  return ['loading:0', 'rdb_changes_since_last_save:0', 'rdb_bgsave_in_progress:0',
    `rdb_last_save_time:${Math.floor(s.lastSaveMs / 1000)}`, 'rdb_last_bgsave_status:ok',
    'rdb_last_bgsave_time_sec:0', 'aof_enabled:0', 'aof_rewrite_in_progress:0',
    'aof_last_write_status:ok', 'module_fork_in_progress:0'];
}

function stats(): string[] {
  return ['total_connections_received:4081', 'total_commands_processed:19352',
    'instantaneous_ops_per_sec:0', 'rejected_connections:0', 'expired_keys:0',
    'evicted_keys:0', 'keyspace_hits:312', 'keyspace_misses:57', 'pubsub_channels:0'];
}

function replication(s: InfoState): string[] {
  if (s.role === 'master') {
    return ['role:master', 'connected_slaves:0', `master_replid:${RUN_ID}`,
      'master_repl_offset:0', 'repl_backlog_active:0', 'repl_backlog_size:1048576'];
  }
  return ['role:slave', `master_host:${s.masterHost}`, `master_port:${s.masterPort}`,
    'master_link_status:down', 'master_last_io_seconds_ago:-1', 'master_sync_in_progress:0',
    'slave_repl_offset:1', 'slave_priority:100', 'slave_read_only:1', 'connected_slaves:0'];
}

function cpu(): string[] {
  return ['used_cpu_sys:412.318822', 'used_cpu_user:388.207761', 'used_cpu_sys_children:0.004181',
    'used_cpu_user_children:0.001392'];
}

function keyspace(s: InfoState): string[] {
  return s.keys === 0 ? [] : [`db0:keys=${s.keys},expires=0,avg_ttl=0`];
}

const SECTIONS: readonly [string, (s: InfoState) => string[]][] = [
  ['Server', server], ['Clients', clients], ['Memory', memory], ['Persistence', persistence],
  ['Stats', stats], ['Replication', replication], ['CPU', cpu], ['Modules', () => []],
  ['Cluster', () => ['cluster_enabled:0']], ['Keyspace', keyspace],
];

/** INFO [section]: every section by default, one by name; an unknown name gives "". */
export function infoText(state: InfoState, section?: string): string {
  const wanted = section?.toLowerCase();
  const all = wanted === undefined || wanted === 'all' || wanted === 'default' ||
    wanted === 'everything';
  const parts = SECTIONS.filter(([name]) => all || name.toLowerCase() === wanted)
    .map(([name, lines]) => [`# ${name}`, ...lines(state)].join('\r\n') + '\r\n');
  return parts.join('\r\n');
}
