// INFO: sections and field names as Redis 7.2 prints them, so monitoring tools, redis-cli and
// redis-sentinel read Sluice as they read Redis. Fields Sluice cannot measure honestly (allocator
// internals, fork and copy-on-write figures, I/O threads...) are left out rather than invented;
// sluice_version is Sluice's own addition.

import os from 'node:os';
import type { CommandEntry } from './dispatch';
import { REDIS_COMPAT_VERSION, SLUICE_VERSION, type Server } from './server';
import { usedMemoryBytes } from './memory';

type Field = [name: string, value: string | number];

interface Section {
  /** Lower-case name, as INFO's arguments give it. */
  readonly name: string;
  /** The "# Title" line. */
  readonly title: string;
  /** Part of INFO / INFO default (otherwise only "all", "everything" or its own name). */
  readonly byDefault: boolean;
  readonly render: (server: Server) => Field[];
}

/** Every section, in the order Redis prints them. */
const SECTIONS: readonly Section[] = [
  { name: 'server', title: 'Server', byDefault: true, render: serverSection },
  { name: 'clients', title: 'Clients', byDefault: true, render: clientsSection },
  { name: 'memory', title: 'Memory', byDefault: true, render: memorySection },
  { name: 'persistence', title: 'Persistence', byDefault: true, render: persistenceSection },
  { name: 'stats', title: 'Stats', byDefault: true, render: statsSection },
  { name: 'replication', title: 'Replication', byDefault: true, render: replicationSection },
  { name: 'cpu', title: 'CPU', byDefault: true, render: cpuSection },
  { name: 'modules', title: 'Modules', byDefault: true, render: () => [] },
  { name: 'commandstats', title: 'Commandstats', byDefault: false, render: commandstatsSection },
  { name: 'errorstats', title: 'Errorstats', byDefault: true, render: errorstatsSection },
  { name: 'cluster', title: 'Cluster', byDefault: true, render: () => [['cluster_enabled', 0]] },
  { name: 'keyspace', title: 'Keyspace', byDefault: true, render: keyspaceSection },
];

/**
 * The INFO text for the requested section names (any case): none or "default" for the default
 * set, "all" or "everything" for every section. Unknown names add nothing.
 */
export function renderInfo(server: Server, requested: readonly string[]): string {
  const names = new Set(requested.map((s) => s.toLowerCase()));
  if (names.size === 0) names.add('default');
  const everything = names.has('all') || names.has('everything');
  const parts: string[] = [];
  for (const section of SECTIONS) {
    const wanted = everything || names.has(section.name) || (section.byDefault && names.has('default'));
    if (!wanted) continue;
    const lines = section.render(server).map(([name, value]) => `${name}:${value}\r\n`);
    parts.push(`# ${section.title}\r\n${lines.join('')}`);
  }
  // Sections are separated by an empty line, as in Redis.
  return parts.join('\r\n');
}

function serverSection(server: Server): Field[] {
  const uptimeSec = server.uptimeSec;
  const hz = server.config.getInt('hz');
  const listeners: Field[] = [];
  for (const set of [server.tcpListeners, server.tlsListeners]) {
    if (!set.open) continue;
    listeners.push([`listener${listeners.length}`, `name=${set.kind},${set.binds.map((b) => `bind=${b}`).join(',')},port=${set.port}`]);
  }
  return [
    ['redis_version', REDIS_COMPAT_VERSION],
    ['sluice_version', SLUICE_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', '0'],
    ['redis_mode', 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.machine()}`],
    ['arch_bits', process.arch.endsWith('64') ? 64 : 32],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', multiplexingApi()],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', server.runId],
    ['tcp_port', server.boundPort],
    ['server_time_usec', Math.floor((performance.timeOrigin + performance.now()) * 1000)],
    ['uptime_in_seconds', uptimeSec],
    ['uptime_in_days', Math.floor(uptimeSec / 86400)],
    ['hz', hz],
    ['configured_hz', hz],
    // Redis's LRU clock: unix seconds in 24 bits.
    ['lru_clock', Math.floor(Date.now() / 1000) & 0xffffff],
    ['executable', process.argv[1] ?? ''],
    ['config_file', server.config.configFile ?? ''],
    ['io_threads_active', 0],
    ...listeners,
  ];
}

/** The event notification mechanism under libuv, named as Redis names its own. */
function multiplexingApi(): string {
  switch (process.platform) {
    case 'linux':
      return 'epoll';
    case 'darwin':
    case 'freebsd':
    case 'openbsd':
      return 'kqueue';
    case 'sunos':
      return 'evport';
    default:
      return 'select';
  }
}

function clientsSection(server: Server): Field[] {
  let pubsub = 0;
  const blocking = server.blocking.registry;
  for (const client of server.clients()) {
    if (client.subscriptions + client.patternSubscriptions + client.shardSubscriptions > 0) pubsub++;
  }
  return [
    ['connected_clients', server.connectedClients],
    ['cluster_connections', 0],
    ['maxclients', server.config.getInt('maxclients')],
    ['blocked_clients', blocking.blockedClients],
    ['tracking_clients', 0],
    ['pubsub_clients', pubsub],
    ['clients_in_timeout_table', blocking.clientsInTimeoutTable],
    ['total_blocking_keys', blocking.totalBlockingKeys],
    ['total_blocking_keys_on_nokey', blocking.totalBlockingKeysOnNoKey],
  ];
}

function memorySection(server: Server): Field[] {
  const mem = process.memoryUsage();
  // What the process holds for data: the JS heap plus memory outside it (Buffers included).
  const used = usedMemoryBytes();
  const peak = server.peakMemory(used);
  const maxmemory = server.config.getInt('maxmemory');
  return [
    ['used_memory', used],
    ['used_memory_human', humanBytes(used)],
    ['used_memory_rss', mem.rss],
    ['used_memory_rss_human', humanBytes(mem.rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', humanBytes(peak)],
    ['used_memory_peak_perc', `${((used / peak) * 100).toFixed(2)}%`],
    ['total_system_memory', os.totalmem()],
    ['total_system_memory_human', humanBytes(os.totalmem())],
    ['maxmemory', maxmemory],
    ['maxmemory_human', humanBytes(maxmemory)],
    ['maxmemory_policy', server.config.get('maxmemory-policy')],
    ['mem_fragmentation_ratio', used > 0 ? (mem.rss / used).toFixed(2) : '0.00'],
    ['mem_fragmentation_bytes', mem.rss - used],
    ['mem_allocator', `v8-${process.versions.v8}`],
    ['lazyfree_pending_objects', 0],
  ];
}

function persistenceSection(server: Server): Field[] {
  // Redis's fields (fork and copy-on-write figures left out: no fork here); see server/persistence.ts.
  return server.persistence.infoFields();
}

function statsSection(server: Server): Field[] {
  const s = server.stats;
  return [
    ['total_connections_received', s.totalConnectionsReceived],
    ['total_commands_processed', s.totalCommandsProcessed],
    ['instantaneous_ops_per_sec', server.opsPerSec()],
    ['total_net_input_bytes', s.totalNetInputBytes],
    ['total_net_output_bytes', s.totalNetOutputBytes],
    ['total_net_repl_input_bytes', server.replication.stats.inputBytes],
    ['total_net_repl_output_bytes', server.replication.stats.outputBytes],
    ['rejected_connections', s.rejectedConnections],
    ['sync_full', server.replication.stats.syncFull],
    ['sync_partial_ok', server.replication.stats.syncPartialOk],
    ['sync_partial_err', server.replication.stats.syncPartialErr],
    ['expired_keys', server.engine.expiredKeys],
    ['evicted_keys', 0],
    ['evicted_clients', 0],
    ['keyspace_hits', s.keyspaceHits],
    ['keyspace_misses', s.keyspaceMisses],
    ['pubsub_channels', server.pubsub.channelCount],
    ['pubsub_patterns', server.pubsub.patternCount()],
    ['pubsubshard_channels', server.pubsub.shardChannelCount],
    ['total_error_replies', s.totalErrorReplies],
    // Newer than 7.0 (its INFO lacks them); in Redis's order, after the I/O counters Sluice omits.
    ['client_query_buffer_limit_disconnections', s.queryBufferLimitDisconnections],
    ['client_output_buffer_limit_disconnections', s.outputBufferLimitDisconnections],
    ['acl_access_denied_auth', server.acl.stats.auth],
    ['acl_access_denied_cmd', server.acl.stats.cmd],
    ['acl_access_denied_key', server.acl.stats.key],
    ['acl_access_denied_channel', server.acl.stats.channel],
  ];
}

function replicationSection(server: Server): Field[] {
  return server.replication.infoFields();
}

function cpuSection(): Field[] {
  const usage = process.resourceUsage();
  const sec = (us: number) => (us / 1e6).toFixed(6);
  return [
    ['used_cpu_sys', sec(usage.systemCPUTime)],
    ['used_cpu_user', sec(usage.userCPUTime)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
  ];
}

function errorstatsSection(server: Server): Field[] {
  return [...server.errorCounts].map(([code, count]) => [`errorstat_${code}`, `count=${count}`]);
}

/** One line per command or subcommand that was called, rejected or failed since the last reset. */
function commandstatsSection(server: Server): Field[] {
  const rows: Field[] = [];
  const visit = (entry: CommandEntry) => {
    const s = entry.stats;
    if (s.calls > 0 || s.rejectedCalls > 0 || s.failedCalls > 0) {
      const perCall = s.calls === 0 ? 0 : s.usec / s.calls;
      rows.push([
        `cmdstat_${entry.fullName}`,
        `calls=${s.calls},usec=${s.usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}`,
      ]);
    }
    for (const sub of entry.subcommands?.values() ?? []) visit(sub);
  };
  for (const entry of server.commands.values()) visit(entry);
  return rows;
}

/** Keys of at most this many volatile keys are looked at to estimate avg_ttl, as Redis samples. */
const TTL_SAMPLE = 100;

function keyspaceSection(server: Server): Field[] {
  const now = Date.now();
  const rows: Field[] = [];
  for (const db of server.engine.dbs) {
    if (db.size === 0) continue;
    rows.push([`db${db.index}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=${averageTtlMs(db.expires, now)}`]);
  }
  return rows;
}

/** The mean remaining time to live (ms) over a sample of the volatile keys; 0 when there are none. */
function averageTtlMs(expires: ReadonlyMap<string, number>, now: number): number {
  let sum = 0;
  let count = 0;
  for (const at of expires.values()) {
    if (count === TTL_SAMPLE) break;
    sum += Math.max(0, at - now);
    count++;
  }
  return count === 0 ? 0 : Math.round(sum / count);
}

/** Redis's bytesToHuman: B below 1K, then K, M, G... with two decimals. */
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
