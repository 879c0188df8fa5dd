// The server: listeners, clients, the engine, and the services commands reach through ServerApi.

import { randomBytes } from 'node:crypto';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TlsOptions } from 'node:tls';
import type { ConfigApi, ServerApi, ServerStats } from '../commands/types';
import type { Effect } from '../storage/effects';
import { Engine } from '../storage/engine';
import { Acl } from './acl/acl';
import { BlockedClients } from './blocked-clients';
import { Client } from './client';
import type { Config } from './config';
import { buildCommandEntries, CommandNames, dispatch, protectedAllowed, type CommandEntry } from './dispatch';
import { ActiveExpiry } from './expiry';
import { OutputScheduler } from './flush';
import { Persistence } from './persistence';
import { PROTECTED_MODE_DENIED, refusedByProtectedMode } from './protected-mode';
import { Replication } from './replication';
import { renderInfo } from './info';
import { LatencyMonitor } from './latency';
import { LOG_LEVELS, type Logger } from './logger';
import { monitorLine, nowUsec } from './monitor';
import { WatchRegistry } from './multi';
import { KeyspaceEvents } from './keyspace-events';
import { limitReached, parseOutputLimits, type OutputLimits } from './output-limits';
import { PubSub } from './pubsub';
import type { ReaderLimits } from './resp/reader';
import { Slowlog } from './slowlog';
import { ListenerSet } from './listeners';
import { MemoryLimit } from './memory';
import { acceptsPeer, buildTlsOptions, TLS_CONTEXT_DIRECTIVES, TLS_UPDATE_REFUSED } from './tls';

export const SLUICE_VERSION = '0.1.0';
/** The Redis version whose behaviour Sluice matches (INFO redis_version, HELLO version). */
export const REDIS_COMPAT_VERSION = '7.2.4';

export class Server implements ServerApi {
  readonly engine: Engine;
  readonly commands: Map<string, CommandEntry> = buildCommandEntries();
  /** The same commands, found by dispatch from a request's bytes (see CommandNames). */
  readonly commandLookup = new CommandNames(this.commands);
  /**
   * Date.now() minus performance.now(), refreshed every 100 ms: commands read one monotonic clock
   * for both their duration and their wall-clock time, and still follow wall-clock adjustments.
   */
  wallClockOffsetMs = Date.now() - performance.now();
  /**
   * performance.now() at the end of the last command when the next one follows it directly (the
   * commands of one chunk), else -1: a command then starts its timing where the previous one
   * ended, so a pipeline of N commands reads the clock N + 1 times rather than 2N.
   */
  commandClockMs = -1;
  readonly scheduler = new OutputScheduler();
  /** Clients blocked on keys (BLPOP, XREAD BLOCK...): the registry and its server side. */
  readonly blocking = new BlockedClients(this);
  readonly slowlog: Slowlog;
  readonly latency: LatencyMonitor;
  readonly startedAtMs = Date.now();
  readonly stats: ServerStats = {
    totalConnectionsReceived: 0,
    totalCommandsProcessed: 0,
    rejectedConnections: 0,
    queryBufferLimitDisconnections: 0,
    outputBufferLimitDisconnections: 0,
    expiredKeys: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    totalNetInputBytes: 0,
    totalNetOutputBytes: 0,
    totalErrorReplies: 0,
  };
  /** Error replies by code, for INFO errorstats. */
  readonly errorCounts = new Map<string, number>();
  readonly monitors = new Set<Client>();
  readonly readerLimits: ReaderLimits;
  readonly configApi: ConfigApi;
  /** Writes since the last save (Redis's server.dirty; save points compare it with their changes). */
  dirty = 0;
  /** Unix seconds of the last successful snapshot, or of the start (LASTSAVE). */
  lastSaveSec = Math.floor(Date.now() / 1000);
  /** The durable log and snapshots (storage/log, storage/snapshot) as the server runs them. */
  readonly persistence: Persistence;
  /** Replicas of this server and the link to its master (server/replication). */
  readonly replication: Replication;
  /** The running command asked for its reply to wait for durability (WAITAOF). */
  private durableCommand = false;
  /** Keys clients WATCH, told of every write. */
  readonly watches: WatchRegistry;
  /** An EXEC is running its queued commands (Redis's server.in_exec): nothing may cut its log record. */
  inExec = false;
  /** totalErrorReplies already charged to a command's failed_calls (see dispatch's call). */
  errorsCharged = 0;
  /** Users, permissions, ACL LOG (server/acl). */
  readonly acl: Acl;
  /** Channels, patterns and shard channels, and delivery to subscribers. */
  readonly pubsub: PubSub;
  /** notify-keyspace-events: keyspace and keyevent notifications published through pubsub. */
  readonly keyspaceEvents: KeyspaceEvents;
  /** client-output-buffer-limit, parsed. */
  /** client-output-buffer-limit, parsed (replication applies the replica class). */
  outputLimits: OutputLimits;
  /** Called when SHUTDOWN or a signal asks the process to stop (main.ts exits there). */
  onShutdown: (() => void) | null = null;

  private readonly clientsById = new Map<number, Client>();
  private nextClientId = 1;
  /** Plain TCP listeners on `port` and TLS listeners on `tls-port`, one per bind address. */
  readonly tcpListeners: ListenerSet;
  readonly tlsListeners: ListenerSet;
  /** Rebinds after CONFIG SET port/bind/tls-port, one at a time. */
  private rebinding: Promise<void> = Promise.resolve();
  /** TLS options a CONFIG SET's guard built, applied once the CONFIG SET is recorded. */
  private pendingTlsOptions: TlsOptions | null = null;
  private readonly expiry: ActiveExpiry;
  /** maxmemory, checked by dispatch before commands flagged denyoom. */
  readonly memoryLimit: MemoryLimit;
  /** A random identifier of this run (INFO run_id), also the replication id until replication lands. */
  readonly runId = randomBytes(20).toString('hex');
  private memoryPeak = 0;
  /** Commands per 100 ms over the last 16 samples, for instantaneous_ops_per_sec. */
  private readonly opsSamples: number[] = [];
  private opsLastTotal = 0;
  private opsTimer: NodeJS.Timeout | null = null;
  /** Once a second: closes clients idle past `timeout`. */
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly config: Config,
    readonly log: Logger,
  ) {
    this.engine = new Engine({ databases: config.getInt('databases') });
    const trackLfu = (policy: string) => (this.engine.trackLfu = policy.endsWith('-lfu'));
    trackLfu(config.get('maxmemory-policy'));
    config.watch('maxmemory-policy', trackLfu);
    const tuneLfu = () => {
      this.engine.lfuTuning.logFactor = config.getInt('lfu-log-factor');
      this.engine.lfuTuning.decayTimeMin = config.getInt('lfu-decay-time');
    };
    tuneLfu();
    config.watch('lfu-log-factor', tuneLfu);
    config.watch('lfu-decay-time', tuneLfu);
    this.engine.onCommit(this.onEffect);
    this.watches = new WatchRegistry(this.engine);
    // Every write wakes the clients waiting on the keys it names.
    this.engine.onCommit((effect) => this.blocking.registry.signalEffect(effect));
    this.scheduler.beforeTurn = this.blocking.beforeTurn;
    this.pubsub = new PubSub(
      (api) => this.clientsById.get(api.id),
      (client) => {
        client.wake();
        this.enforceOutputLimit(client);
      },
    );
    this.keyspaceEvents = new KeyspaceEvents(this.pubsub, this.engine);
    this.keyspaceEvents.configure(config.get('notify-keyspace-events'));
    config.watch('notify-keyspace-events', (flags) => this.keyspaceEvents.configure(flags));
    this.engine.onCommit((effect) => this.keyspaceEvents.afterCommit(effect));
    this.outputLimits = parseOutputLimits(config.get('client-output-buffer-limit'));
    config.watch('client-output-buffer-limit', (value) => (this.outputLimits = parseOutputLimits(value)));
    this.slowlog = new Slowlog(config);
    this.latency = new LatencyMonitor(config);
    this.readerLimits = {
      protoMaxBulkLen: config.getInt('proto-max-bulk-len'),
      queryBufferLimit: config.getInt('client-query-buffer-limit'),
    };
    config.watch('proto-max-bulk-len', (v) => (this.readerLimits.protoMaxBulkLen = Number(v)));
    config.watch('client-query-buffer-limit', (v) => (this.readerLimits.queryBufferLimit = Number(v)));
    this.configApi = {
      get: (pattern) => config.match([pattern]),
      int: (name) => config.getInt(name),
      set: (pairs, clientAddr) => config.setMany(pairs, protectedAllowed(config.get('enable-protected-configs'), clientAddr)),
      rewrite: () => config.rewrite(),
    };
    this.expiry = new ActiveExpiry(this.engine, config);
    this.memoryLimit = new MemoryLimit(config, log);
    // The log, its lock and its snapshots live in `dir`; they cannot follow a change at run time.
    config.guard('dir', () => 'Sluice cannot move its data directory while running; stop it, move the directory and restart');
    this.tcpListeners = new ListenerSet('tcp', log);
    this.tlsListeners = new ListenerSet('tls', log);
    this.watchListenerConfig();
    config.watch('loglevel', (level) => (this.log.level = LOG_LEVELS[level] ?? 'info'));
    this.persistence = new Persistence(this);
    this.acl = new Acl(this);
    this.acl.loadAtStartup();
    this.replication = new Replication(this);
  }

  /**
   * Before listening: lock the data directory, load the newest snapshot and replay the log, then
   * log every committed effect and commit each turn's records before its replies leave.
   */
  openStorage(): void {
    this.persistence.open();
    this.engine.onCommit(this.persistence.addEffect);
    this.scheduler.commit = this.persistence;
    this.replication.loadIds();
  }

  // ---- lifecycle

  async listen(): Promise<void> {
    // port 0 / tls-port 0: no listener of that kind, as in Redis; at least one is needed.
    const tcp = this.config.getInt('port') !== 0;
    const tls = this.config.getInt('tls-port') !== 0;
    if (!tcp && !tls) throw new Error('Configured to not listen anywhere (port 0 and tls-port 0)');
    if (tcp) await this.openListeners(this.tcpListeners);
    if (tls) await this.openListeners(this.tlsListeners);
    this.expiry.start();
    this.opsTimer = setInterval(() => this.sampleOps(), 100);
    this.opsTimer.unref();
    this.idleTimer = setInterval(() => this.closeIdleClients(), 1000);
    this.idleTimer.unref();
    if (this.tcpListeners.open) this.log.info({ port: this.boundPort, binds: this.tcpListeners.binds }, 'Ready to accept connections tcp');
    if (this.tlsListeners.open) this.log.info({ port: this.tlsListeners.port }, 'Ready to accept connections tls');
    this.replication.start();
  }

  /** The TCP port clients connect to, 0 when there is no TCP listener. */
  get boundPort(): number {
    return this.tcpListeners.port;
  }

  /** (Re)open one listener set on the configured addresses and its port. */
  private openListeners(set: ListenerSet): Promise<void> {
    const binds = this.config.get('bind').split(/\s+/).filter((b) => b !== '');
    const backlog = this.config.getInt('tcp-backlog');
    if (set.kind === 'tcp') {
      return set.listen(binds, this.config.getInt('port'), () => createServer({ noDelay: true }, (s) => this.accept(s)), backlog);
    }
    const options = buildTlsOptions((name) => this.config.get(name));
    return set.listen(binds, this.config.getInt('tls-port'), () => this.createTlsListener(options), backlog);
  }

  private createTlsListener(options: TlsOptions): NetServer {
    const listener = createTlsServer(options, (socket) => {
      if (!acceptsPeer(socket)) {
        this.log.info({ client: `${socket.remoteAddress}:${socket.remotePort}` }, 'TLS client presented an invalid certificate; connection closed');
        socket.destroy();
        return;
      }
      socket.setNoDelay(true);
      this.accept(socket);
    });
    // A failed handshake is the client's problem, logged as Redis does at verbose level.
    listener.on('tlsClientError', (err) => this.log.debug({ err: err.message }, 'Error accepting a client connection'));
    return listener;
  }

  /**
   * CONFIG SET port / bind / tls-port: bind the new set, then stop the old one (clients stay). Node
   * binds asynchronously, after CONFIG SET has replied: when binding fails the old listeners keep
   * serving and the failure is logged (Redis refuses the CONFIG SET instead).
   */
  private rebind(set: ListenerSet): void {
    this.rebinding = this.rebinding.then(async () => {
      if (this.config.getInt(set.kind === 'tls' ? 'tls-port' : 'port') === 0) return set.close();
      try {
        await this.openListeners(set);
        this.log.info({ kind: set.kind, port: set.port, binds: set.binds }, 'Listening on the new address');
      } catch (err) {
        this.log.error({ kind: set.kind, err: (err as Error).message }, 'Failed to bind after CONFIG SET; still listening on the previous address');
      }
    });
  }

  private watchListenerConfig(): void {
    this.config.watch('port', () => this.rebind(this.tcpListeners));
    this.config.watch('bind', () => {
      this.rebind(this.tcpListeners);
      if (this.tlsListeners.open) this.rebind(this.tlsListeners);
    });
    this.config.watch('tls-port', () => {
      this.pendingTlsOptions = null; // the rebind reads the files itself
      this.rebind(this.tlsListeners);
    });
    // A CONFIG SET of TLS directives must leave a working context, checked before it is recorded.
    const tlsNames = [...TLS_CONTEXT_DIRECTIVES, 'tls-port'];
    this.config.guardTogether(tlsNames, (valueOf) => {
      if (valueOf('tls-port') === '0') return null;
      try {
        this.pendingTlsOptions = buildTlsOptions(valueOf);
        return null;
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'TLS configuration refused');
        return TLS_UPDATE_REFUSED;
      }
    });
    for (const name of TLS_CONTEXT_DIRECTIVES) {
      this.config.watch(name, () => {
        const options = this.pendingTlsOptions;
        if (options === null) return;
        this.pendingTlsOptions = null;
        this.tlsListeners.each((listener) => updateTlsListener(listener as TlsServer, options));
      });
    }
  }

  private accept(socket: Socket): void {
    this.stats.totalConnectionsReceived++;
    if (this.clientsById.size >= this.config.getInt('maxclients')) {
      this.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    if (refusedByProtectedMode(this.config.getBool('protected-mode'), this.acl.defaultUser.nopass, socket.remoteAddress)) {
      this.stats.rejectedConnections++;
      socket.end(PROTECTED_MODE_DENIED);
      return;
    }
    const keepAliveSec = this.config.getInt('tcp-keepalive');
    if (keepAliveSec > 0) socket.setKeepAlive(true, keepAliveSec * 1000);
    const client = new Client(this.nextClientId++, socket, this);
    this.clientsById.set(client.id, client);
  }

  /**
   * Stop listening, close every client, then make the log durable and release the data directory.
   * Rejects when the log could not be made durable.
   */
  async close(): Promise<void> {
    this.expiry.stop();
    if (this.opsTimer !== null) clearInterval(this.opsTimer);
    if (this.idleTimer !== null) clearInterval(this.idleTimer);
    // Stop accepting and stop running commands; make the log durable (replies held for an
    // fdatasync are released by it, in order), send what is left, then drop the clients: a
    // listener's close completes only once its connections are gone.
    const closed = [this.tcpListeners.close(), this.tlsListeners.close()];
    for (const client of this.clientsById.values()) client.closing = true;
    this.replication.stop();
    let durable = false;
    try {
      await this.persistence.close();
      durable = true;
      this.replication.recordCleanShutdown();
    } finally {
      for (const client of [...this.clientsById.values()]) {
        // Replies not yet sent are acknowledgments: only once the log is durable.
        if (durable) client.flush();
        client.closeNow();
      }
      await Promise.all(closed);
    }
  }

  // ---- clients

  dispatch(client: Client, argv: Buffer[]): void {
    dispatch(this, client, argv);
  }

  /**
   * After every command: its effects become one log record, and the reply of a write command (or
   * of WAITAOF) is noted so that it turns into -MISCONF if the turn's records cannot be made durable.
   */
  commandDone(client: Client, entry: CommandEntry | null, replyStart: number): void {
    const recorded = this.persistence.endRecord();
    if (recorded) client.woff = this.persistence.logEndOffset;
    this.replication.commandDone();
    if (this.durableCommand || (recorded && entry !== null && (entry.write || entry.fullName === 'exec'))) {
      this.durableCommand = false;
      this.scheduler.noteWrite(client, replyStart, client.out.mark());
    }
  }

  /** WAITAOF: this turn's replies wait for an fdatasync of everything written so far. */
  requireDurableTurn(): void {
    this.durableCommand = true;
    this.scheduler.requireDurable();
  }

  forget(client: Client): void {
    client.transaction.discard();
    this.replication.forget(client);
    this.clientsById.delete(client.id);
    this.blocking.remove(client);
    this.monitors.delete(client);
    this.pubsub.removeClient(client);
  }

  /**
   * client-output-buffer-limit: disconnect a client whose unsent output overcame its class's
   * limits (Redis's closeClientOnOutputBufferLimitReached), logging it as Redis does.
   */
  enforceOutputLimit(client: Client): void {
    const subscriber = client.subscriptions + client.patternSubscriptions + client.shardSubscriptions > 0;
    const limit = subscriber ? this.outputLimits.pubsub : this.outputLimits.normal;
    if (limit.hardBytes === 0 && limit.softBytes === 0) return;
    if (!limitReached(limit, client.unsentBytes, client, Date.now())) return;
    this.log.warn(`Client ${client.describe()} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.stats.outputBufferLimitDisconnections++;
    client.closeNow();
  }

  clients(): Iterable<Client> {
    return this.clientsById.values();
  }

  clientById(id: number): Client | undefined {
    return this.clientsById.get(id);
  }

  killClient(id: number): boolean {
    const client = this.clientsById.get(id);
    if (client === undefined) return false;
    client.closeNow();
    return true;
  }

  unblockClient(id: number, how: 'timeout' | 'error'): boolean {
    return this.blocking.registry.unblockById(id, how);
  }

  addMonitor(client: Client): void {
    this.monitors.add(client);
  }

  removeMonitor(client: Client): void {
    this.monitors.delete(client);
  }

  feedMonitors(from: Client, argv: readonly Buffer[]): void {
    const line = monitorLine(nowUsec(), from.dbIndex, from.addr, argv);
    // A monitor sees its own commands too, after their replies, as in Redis.
    for (const monitor of this.monitors) {
      monitor.out.raw(line);
      monitor.wake();
    }
  }

  /** Counts an error reply by its code (INFO errorstats). Shared by every client's writer. */
  readonly countError = (code: string): void => {
    this.stats.totalErrorReplies++;
    this.errorCounts.set(code, (this.errorCounts.get(code) ?? 0) + 1);
  };

  // ---- writes

  commit(effect: Effect): void {
    this.keyspaceEvents.commitAnnouncingNewKeys(effect, this.commitToEngine);
  }

  private readonly commitToEngine = (effect: Effect): void => this.engine.commit(effect);

  private readonly onEffect = (effect: Effect): void => {
    this.dirty += effectWeight(effect);
  };

  // ---- ServerApi

  info(sections: string[]): string {
    return renderInfo(this, sections);
  }

  shutdown(mode: 'save' | 'nosave' | 'default', options: { readonly force?: boolean } = {}): string | null {
    this.log.info('User requested shutdown...');
    const error = this.persistence.prepareShutdown(mode, options.force === true);
    if (error !== null) return error;
    this.onShutdown?.();
    return null;
  }

  resetStats(): void {
    for (const key of Object.keys(this.stats) as Array<keyof ServerStats>) this.stats[key] = 0;
    this.engine.expiredKeys = 0;
    this.errorCounts.clear();
    for (const key of Object.keys(this.acl.stats) as Array<keyof Acl['stats']>) this.acl.stats[key] = 0;
    for (const entry of this.commands.values()) {
      resetEntry(entry);
    }
  }

  sleep(ms: number): void {
    const end = Date.now() + ms;
    const cell = new Int32Array(new SharedArrayBuffer(4));
    while (Date.now() < end) Atomics.wait(cell, 0, 0, Math.max(1, end - Date.now()));
  }

  /**
   * The `timeout` directive (Redis's clientsCronHandleTimeout): close a client silent for longer
   * than that many seconds. Blocked clients, subscribers and monitors wait as long as they like.
   */
  private closeIdleClients(): void {
    const timeoutSec = this.config.getInt('timeout');
    if (timeoutSec === 0) return;
    const now = Date.now();
    for (const client of [...this.clientsById.values()]) {
      if (client.blocked || client.monitor || client.replica || client.subscriptions + client.patternSubscriptions + client.shardSubscriptions > 0) continue;
      if (now - client.lastInteractionMs > timeoutSec * 1000) {
        this.log.debug({ client: client.addr }, 'closing idle client');
        client.closeNow();
      }
    }
  }

  private sampleOps(): void {
    this.wallClockOffsetMs = Date.now() - performance.now();
    this.engine.clockMs = Date.now();
    const total = this.stats.totalCommandsProcessed;
    this.opsSamples.push(total - this.opsLastTotal);
    this.opsLastTotal = total;
    if (this.opsSamples.length > 16) this.opsSamples.shift();
  }

  /** Mean commands per second over the last 1.6 s. */
  opsPerSec(): number {
    if (this.opsSamples.length === 0) return 0;
    const sum = this.opsSamples.reduce((a, b) => a + b, 0);
    return Math.round((sum / this.opsSamples.length) * 10);
  }

  /** The highest memory use seen so far, updated with the current figure. */
  peakMemory(current: number): number {
    if (current > this.memoryPeak) this.memoryPeak = current;
    return this.memoryPeak;
  }

  get uptimeSec(): number {
    return Math.floor((Date.now() - this.startedAtMs) / 1000);
  }

  get activeExpireEnabled(): boolean {
    return this.expiry.enabled;
  }

  set activeExpireEnabled(enabled: boolean) {
    this.expiry.enabled = enabled;
  }

  get connectedClients(): number {
    return this.clientsById.size;
  }
}

function resetEntry(entry: CommandEntry): void {
  entry.stats.calls = 0;
  entry.stats.usec = 0;
  entry.stats.rejectedCalls = 0;
  entry.stats.failedCalls = 0;
  for (const sub of entry.subcommands?.values() ?? []) resetEntry(sub);
}

/** How much an effect adds to the "changes since last save" counter, as Redis counts them. */
function effectWeight(effect: Effect): number {
  return effect.op === 'del' ? effect.keys.length : 1;
}

/**
 * New certificates and client-certificate rules for a running TLS listener: setSecureContext swaps
 * the context; requestCert and rejectUnauthorized are read from the server object for each new
 * connection (Node's tlsConnectionListener), and setSecureContext leaves them as they were.
 */
function updateTlsListener(listener: TlsServer, options: TlsOptions): void {
  listener.setSecureContext(options);
  const perConnection = listener as TlsServer & { requestCert: boolean; rejectUnauthorized: boolean };
  perConnection.requestCert = options.requestCert === true;
  perConnection.rejectUnauthorized = options.rejectUnauthorized === true;
}
