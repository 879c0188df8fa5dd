// The contract between the command layer and the server that runs it.
// commands/ declares what it needs here; server/ implements it. Handlers never see a socket.

import type { Engine } from '../storage/engine';
import type { Effect } from '../storage/effects';

/** Command flags, with Redis's names (COMMAND INFO reports them as given). */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'module'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'sentinel'
  | 'only_sentinel'
  | 'no_mandatory_keys'
  | 'no_async_loading'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy';

/** ACL categories, without the leading '@'. */
export type AclCategory =
  | 'keyspace'
  | 'read'
  | 'write'
  | 'set'
  | 'sortedset'
  | 'list'
  | 'hash'
  | 'string'
  | 'bitmap'
  | 'hyperloglog'
  | 'geo'
  | 'stream'
  | 'pubsub'
  | 'admin'
  | 'fast'
  | 'slow'
  | 'blocking'
  | 'dangerous'
  | 'connection'
  | 'transaction'
  | 'scripting';

/** A Redis 7 key specification: where keys are found and what the command does with them. */
export interface KeySpec {
  readonly notes?: string;
  /** Key-spec flags as Redis names them: RO, RW, OW, RM, ACCESS, UPDATE, INSERT, DELETE, ... */
  readonly flags: readonly string[];
  readonly beginSearch:
    | { readonly type: 'index'; readonly index: number }
    | { readonly type: 'keyword'; readonly keyword: string; readonly startfrom: number }
    | { readonly type: 'unknown' };
  readonly findKeys:
    | { readonly type: 'range'; readonly lastkey: number; readonly step: number; readonly limit: number }
    | { readonly type: 'keynum'; readonly keynumidx: number; readonly firstkey: number; readonly step: number }
    | { readonly type: 'unknown' };
}

/** One argument of a command, as COMMAND DOCS describes it (and as redis-cli builds hints from). */
export interface ArgSpec {
  readonly name: string;
  readonly type:
    | 'string'
    | 'integer'
    | 'double'
    | 'key'
    | 'pattern'
    | 'unix-time'
    | 'pure-token'
    | 'oneof'
    | 'block';
  readonly token?: string;
  readonly keySpecIndex?: number;
  readonly optional?: boolean;
  readonly multiple?: boolean;
  readonly multipleToken?: boolean;
  readonly since?: string;
  readonly display?: string;
  readonly summary?: string;
  readonly deprecatedSince?: string;
  readonly arguments?: readonly ArgSpec[];
}

export type Handler = (ctx: Ctx, argv: Buffer[]) => void;

/** A command, declared once: everything COMMAND, ACL, dispatch and docs need. */
export interface CommandSpec {
  /** Lower-case name (the subcommand's own name for a subcommand). */
  readonly name: string;
  /** Redis arity: N means exactly N arguments including the name; -N means at least N. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  readonly acl: readonly AclCategory[];
  /** Legacy key positions: first key, last key (negative counts from the end), step. */
  readonly keys: readonly [first: number, last: number, step: number];
  readonly keySpecs?: readonly KeySpec[];
  readonly summary: string;
  readonly since: string;
  readonly group: string;
  readonly complexity?: string;
  readonly docFlags?: readonly string[];
  /** Version that deprecated the command, and what replaces it (COMMAND DOCS). */
  readonly deprecatedSince?: string;
  readonly replacedBy?: string;
  /** [version, change] pairs, oldest first, as COMMAND DOCS "history". */
  readonly history?: ReadonlyArray<readonly [since: string, change: string]>;
  readonly arguments?: readonly ArgSpec[];
  readonly tips?: readonly string[];
  readonly subcommands?: readonly CommandSpec[];
  /** Absent only for a container command whose work is done by its subcommands. */
  readonly handler?: Handler;
}

/** The reply writer handlers use. The implementation is the only place that knows RESP2 from RESP3. */
export interface Reply {
  readonly resp: 2 | 3;
  ok(): void;
  simple(text: string): void;
  /** An error reply; `message` starts with its code, e.g. "ERR syntax error". */
  error(message: string): void;
  integer(n: number | bigint): void;
  /** A bulk string; a JS string is taken as latin1 (one char = one byte). */
  bulk(value: string | Buffer): void;
  /** A bulk string of bytes [start, end) of `source`, copied straight into the reply (no slice object). */
  bulkRange(source: Buffer, start: number, end: number): void;
  /**
   * The bulk string "<ms>-<seq>" of two non-negative safe integers (a stream ID), written digit by
   * digit: no text is built for the most frequent bulk of stream replies.
   */
  bulkIdParts(ms: number, seq: number): void;
  /** Null bulk string ($-1 in RESP2, _ in RESP3). */
  nullBulk(): void;
  /** Null array (*-1 in RESP2, _ in RESP3). */
  nullArray(): void;
  array(length: number): void;
  /** A map header: RESP3 %n, RESP2 a flat array of 2n items. */
  map(pairs: number): void;
  /** A set header: RESP3 ~n, RESP2 an array. */
  set(length: number): void;
  /** A push header: RESP3 >n, RESP2 an array. */
  push(length: number): void;
  /** A double: RESP3 ,d; RESP2 a bulk string in Redis's %.17g format. */
  double(value: number): void;
  /** A boolean: RESP3 #t/#f; RESP2 :1/:0. */
  bool(value: boolean): void;
  /** Verbatim text: RESP3 =len\r\ntxt:..., RESP2 a bulk string. */
  verbatim(text: string, format?: 'txt' | 'mkd'): void;
  /** Pre-encoded bytes written as they are (both protocols). */
  raw(bytes: Buffer): void;
  /** Bytes written since this writer was created; lets callers measure a reply. */
  readonly bytesWritten: number;
  /** The write position, to pass to keepAsPush once a push is written. */
  mark(): number;
  /** What was written since `start` is a pub/sub push: CLIENT REPLY OFF/SKIP do not drop it. */
  keepAsPush(start: number): void;
}

/** What a handler may know and change about its own connection. */
export interface ClientApi {
  readonly id: number;
  name: string;
  libName: string;
  libVersion: string;
  /** Index of the selected database. */
  dbIndex: number;
  resp: 2 | 3;
  authenticated: boolean;
  /** Name of the ACL user the connection is authenticated as ("default" until AUTH). */
  readonly user: string;
  /** CLIENT REPLY mode. */
  replyMode: 'on' | 'off' | 'skip';
  noEvict: boolean;
  noTouch: boolean;
  readonly addr: string;
  readonly laddr: string;
  readonly createdAtMs: number;
  lastInteractionMs: number;
  /** Close the connection once pending replies are written. */
  closeAfterReply(): void;
  /** Make this connection a MONITOR. */
  startMonitor(): void;
  /** Leave subscriber, MULTI and other modes; used by RESET. */
  reset(): void;
  /** A CLIENT LIST / CLIENT INFO line for this client. */
  describe(): string;
  /** MULTI/EXEC and WATCH state of this connection. */
  readonly transaction: TransactionApi;
}

/**
 * A connection's transaction (server/multi.ts implements it). Dispatch queues commands while
 * `active`; the handlers of MULTI, EXEC, DISCARD, WATCH and UNWATCH drive the rest.
 */
export interface TransactionApi {
  /** Between MULTI and EXEC/DISCARD. */
  readonly active: boolean;
  /** MULTI: start queueing. */
  begin(): void;
  /** DISCARD (and RESET): drop the queue and unwatch every key. */
  discard(): void;
  /** EXEC inside MULTI: abort (EXECABORT or null array) or run every queued command. */
  exec(): void;
  /** WATCH keys of the selected database. */
  watch(keys: readonly Buffer[]): void;
  /** UNWATCH: forget every watched key and any change seen to them. */
  unwatch(): void;
}

/** Counters the server keeps; names follow INFO stats. */
export interface ServerStats {
  totalConnectionsReceived: number;
  totalCommandsProcessed: number;
  rejectedConnections: number;
  /** Clients closed for going over client-query-buffer-limit (INFO client_query_buffer_limit_disconnections). */
  queryBufferLimitDisconnections: number;
  /** Clients closed by client-output-buffer-limit (INFO client_output_buffer_limit_disconnections). */
  outputBufferLimitDisconnections: number;
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  totalNetInputBytes: number;
  totalNetOutputBytes: number;
  totalErrorReplies: number;
}

/** What handlers may ask of the server as a whole. */
export interface ServerApi {
  readonly stats: ServerStats;
  readonly startedAtMs: number;
  /** Registered clients, by id. */
  clients(): Iterable<ClientApi>;
  killClient(id: number): boolean;
  /**
   * CLIENT UNBLOCK: end the blocking command of client `id` with its timeout reply ('timeout') or
   * -UNBLOCKED ('error'). False when no such client is blocked.
   */
  unblockClient(id: number, how: 'timeout' | 'error'): boolean;
  readonly configApi: ConfigApi;
  /** Render an INFO section list; `sections` is empty for the default set. */
  info(sections: string[]): string;
  /**
   * SHUTDOWN / SIGTERM: stop the server, making the data durable first. Returns an error reply when
   * it cannot (a failed save without FORCE), null when the server is stopping.
   */
  shutdown(mode: 'save' | 'nosave' | 'default', options?: { readonly force?: boolean }): string | null;
  /** Snapshots and the durable log (SAVE, BGSAVE, BGREWRITEAOF, WAITAOF). */
  readonly persistence: PersistenceApi;
  /** Replication (REPLICAOF, REPLCONF, PSYNC, SYNC, ROLE, WAIT). */
  readonly replication: ReplicationApi;
  /** Writes since the last save (Redis's "dirty" counter). */
  readonly dirty: number;
  readonly lastSaveSec: number;
  slowlog: SlowlogApi;
  latency: LatencyApi;
  resetStats(): void;
  /** Pause the whole server for `ms` (DEBUG SLEEP); blocks the event loop like Redis does. */
  sleep(ms: number): void;
  /** Whether keys nobody reads are expired in the background (DEBUG SET-ACTIVE-EXPIRE). */
  activeExpireEnabled: boolean;
  /** Users, permissions and the ACL log (server/acl implements it). */
  readonly acl: AclApi;
  /** Pub/Sub: subscriptions, publishing and the counts PUBSUB reports (server/pubsub.ts). */
  readonly pubsub: PubSubApi;
}

/** One ACL LOG entry, with Redis 7.2's fields. */
export interface AclLogEntry {
  readonly count: number;
  readonly reason: 'command' | 'key' | 'channel' | 'auth';
  readonly context: 'toplevel' | 'multi' | 'lua' | 'module';
  /** The command, key or channel denied (the command name as typed for 'auth'). */
  readonly object: string;
  readonly username: string;
  readonly ageSeconds: number;
  readonly clientInfo: string;
  readonly entryId: number;
  readonly timestampCreated: number;
  readonly timestampLastUpdated: number;
}

/** One selector as ACL GETUSER shows it. */
export interface AclSelectorInfo {
  readonly commands: string;
  readonly keys: string;
  readonly channels: string;
}

export interface AclUserInfo {
  readonly flags: readonly string[];
  /** SHA-256 hex digests. */
  readonly passwords: readonly string[];
  readonly root: AclSelectorInfo;
  readonly selectors: readonly AclSelectorInfo[];
}

/** What the ACL commands, AUTH and HELLO ask of the server's user registry. */
export interface AclApi {
  /**
   * AUTH / HELLO AUTH: when the pair is right (user exists, is on, password matches or nopass),
   * make the connection that user; otherwise record the failure in ACL LOG and change nothing.
   */
  authenticate(client: ClientApi, username: Buffer, password: Buffer, commandName: Buffer): boolean;
  /** The default user accepts any password (AUTH <password> is then a configuration mistake). */
  defaultUserHasNoPassword(): boolean;
  hasUser(name: string): boolean;
  /** Usernames in Redis's order (byte order). */
  userNames(): string[];
  /** ACL LIST lines: "user <name> <rules>". */
  describeUsers(): string[];
  getUser(name: string): AclUserInfo | null;
  /** ACL SETUSER: all rules apply or none; returns the error reply, or null. */
  setUser(name: string, rules: readonly string[]): string | null;
  /** ACL DELUSER (never "default"): removes the users, closes their connections, returns how many existed. */
  deleteUsers(names: readonly string[]): number;
  logEntries(count: number, nowMs: number): AclLogEntry[];
  resetLog(): void;
  /** ACL LOAD / ACL SAVE: null on success, else the error reply. */
  load(): string | null;
  save(): string | null;
  /**
   * ACL DRYRUN: whether `username` could run `line` ({ ok }), the denial message ({ denied }), or
   * an error reply ({ error }) when the user or command is unknown or the arity wrong.
   */
  dryRun(username: string, line: readonly Buffer[]): { readonly ok: true } | { readonly denied: string } | { readonly error: string };
  /** Whether the connection's user may use a channel (a PSUBSCRIBE pattern when `isPattern`). */
  allowsChannel(client: ClientApi, channel: string, isPattern: boolean): boolean;
}

/** What the replication commands ask of the server (server/replication implements it). */
export interface ReplicationApi {
  /** REPLICAOF host port (null: NO ONE): the status reply ("OK", "OK Already connected...") or an error. */
  replicaOf(target: { readonly host: string; readonly port: number } | null): StatusOrError;
  /** REPLCONF listening-port / ip-address / capa, remembered for the PSYNC that follows. */
  replconfSet(client: ClientApi, option: 'listening-port' | 'ip-address' | 'capa', value: string): void;
  /** REPLCONF ACK from a replica (no reply). */
  replconfAck(client: ClientApi, offset: number, aofOffset: number | null): void;
  /**
   * PSYNC replid offset (replid null: SYNC): the connection becomes a replica and replication
   * sends the reply and the stream; returns an error reply when refused, else null.
   */
  sync(client: ClientApi, replid: string | null, offset: number): string | null;
  /** The ROLE reply. */
  role(out: Reply): void;
  /** PUBLISH / SPUBLISH on a master: the message goes to the replicas too (not into the log). */
  propagatePublish(kind: ChannelKind, channel: string, message: Buffer): void;
  /** This server follows a master. */
  readonly isReplica: boolean;
  /**
   * WAIT / WAITAOF's replica part: `reply` gets how many replicas acknowledged (FACK for
   * 'waitaof') this client's last write, at once when enough did or the client may not block;
   * else the client blocks until enough acknowledge or `timeoutMs` passes (0: no limit), and
   * `reply` runs then. An error reply on a replica (nothing replied).
   */
  waitReplicas(ctx: Ctx, kind: 'wait' | 'waitaof', numreplicas: number, timeoutMs: number, reply: (replicas: number) => void): string | null;
}

/** What a client subscribes to: channels (SUBSCRIBE), patterns (PSUBSCRIBE), shard channels (SSUBSCRIBE). */
export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** Channels and shard channels, the two namespaces messages are published to. */
export type ChannelKind = 'channel' | 'shard';

/** Pub/Sub as the commands see it. Names are latin1 strings holding the exact bytes, as keys are. */
export interface PubSubApi {
  /**
   * Subscribe `client`, if it was not already. Returns the count Redis replies with afterwards:
   * channels plus patterns for 'channel' and 'pattern', shard channels for 'shard'.
   */
  subscribe(client: ClientApi, kind: SubscriptionKind, name: string): number;
  /** Unsubscribe `client` (nothing happens when it was not subscribed); returns the count as subscribe does. */
  unsubscribe(client: ClientApi, kind: SubscriptionKind, name: string): number;
  /** The client's subscriptions of a kind, oldest first. */
  subscriptionsOf(client: ClientApi, kind: SubscriptionKind): string[];
  /** The client's current count as subscribe returns it. */
  countOf(client: ClientApi, kind: SubscriptionKind): number;
  /** Deliver a message; returns the number of clients that received it (pattern matches count each). */
  publish(kind: ChannelKind, channel: string, message: string | Buffer): number;
  /** Channels with at least one subscriber, matching a glob pattern when one is given. */
  activeChannels(kind: ChannelKind, pattern: string | null): string[];
  /** Subscribers of one channel (patterns not counted). */
  subscriberCount(kind: ChannelKind, channel: string): number;
  /** Patterns with at least one subscriber (PUBSUB NUMPAT). */
  patternCount(): number;
}

/**
 * The classes of keyspace events, as the letters of notify-keyspace-events name them: generic
 * (g), string ($), list (l), set (s), hash (h), zset (z), expired (x), evicted (e), stream (t),
 * keyMiss (m), module (d), new (n).
 */
export type KeyspaceEventClass =
  | 'generic'
  | 'string'
  | 'list'
  | 'set'
  | 'hash'
  | 'zset'
  | 'expired'
  | 'evicted'
  | 'stream'
  | 'keyMiss'
  | 'module'
  | 'new';

/** A status reply (`ok`: "Background saving started") or an error reply (with its code). */
export type StatusOrError = { readonly ok: string } | { readonly error: string };

/** What the persistence commands ask of the server (server/persistence.ts implements it). */
export interface PersistenceApi {
  /** SAVE: a snapshot now, blocking the server as Redis's SAVE does; null on success or the error reply. */
  save(): string | null;
  /** BGSAVE [SCHEDULE]. */
  bgsave(schedule: boolean): StatusOrError;
  /** BGREWRITEAOF: in Sluice a background snapshot that lets the log drop the segments it covers. */
  bgrewriteaof(): StatusOrError;
  /**
   * WAITAOF's local part: how many local logs hold every write made before this command once its
   * reply leaves (1: the reply is held until an fdatasync covers them; 0: the log has failed), or
   * an error reply when numlocal is asked for with appendonly off.
   */
  waitAofLocal(numlocal: number): { readonly local: number } | { readonly error: string };
  /** Whether WAITAOF may ask for numlocal (appendonly yes). */
  waitAofLocalPossible(): boolean;
}

export interface ConfigApi {
  /** Name/value pairs whose name matches a glob pattern. */
  get(pattern: string): Array<[string, string]>;
  /** The numeric value of one directive by its exact name: a map lookup, cheap on hot paths. */
  int(name: string): number;
  /**
   * Set several directives atomically; returns an error message or null. `clientAddr` decides
   * whether protected directives may be set (enable-protected-configs local: loopback only).
   */
  set(pairs: Array<[string, string]>, clientAddr: string): string | null;
  rewrite(): string | null;
}

export interface SlowlogEntry {
  readonly id: number;
  readonly timeSec: number;
  readonly durationUs: number;
  readonly argv: readonly Buffer[];
  readonly addr: string;
  readonly name: string;
}

export interface SlowlogApi {
  entries(): readonly SlowlogEntry[];
  reset(): void;
}

export interface LatencyApi {
  /** Latest samples per event: [event, timeSec, latestMs, maxMs]. */
  latest(): Array<[string, number, number, number]>;
  history(event: string): Array<[number, number]>;
  reset(events: string[]): number;
}

/**
 * What a blocked command's retry found (see BlockSpec.retry):
 * - 'served': it wrote its client's reply (data, or an error such as WRONGTYPE or NOGROUP); the
 *   client is unblocked from all its keys;
 * - 'skip': this key holds nothing for this client (another type, nothing new for its group): it
 *   keeps its place and the next client waiting on the key is tried;
 * - 'empty': the key holds nothing for anyone (missing or empty): the client keeps its place and
 *   the key's turn ends (one element wakes one client).
 */
export type RetryOutcome = 'served' | 'skip' | 'empty';

/**
 * How a command blocks its client (ctx.block), after Redis's blockForKeys. The command found
 * nothing for its client now and ctx.mayBlock is true; it wrote no reply and committed nothing.
 * Later, each time a write touches one of `keys` (any effect naming the key, in the client's
 * database: XADD, LPUSH, DEL, a type change, FLUSHALL, SWAPDB...), the server runs `retry(key)` as
 * a run of this same command for this client (its clock ctx.nowMs, its stats, its slowlog entry,
 * its effects logged as one record like any write), with ctx.mayBlock false. Waiters on a key are
 * retried in the order they blocked; what retries write (BLMOVE's destination) wakes its own
 * waiters in the same pass. When `deadlineMs` passes, or CLIENT UNBLOCK <id> TIMEOUT, the server
 * calls `timedOut()`; CLIENT UNBLOCK <id> ERROR answers -UNBLOCKED itself. A client that
 * disconnects is forgotten. Commands the client sends while blocked wait and run after its reply.
 * The callbacks close over the handler's ctx and its parsed arguments; the client's database
 * (ctx.client.dbIndex) does not change while it is blocked.
 */
export interface BlockSpec {
  /** The keys to wait on, in the command's order (a key given twice counts once). */
  readonly keys: readonly string[];
  /** When to give up: absolute unix ms (ctx.nowMs plus the timeout); 0 waits forever. */
  readonly deadlineMs: number;
  /**
   * Run the command again, without blocking, because `key` was written. Redis 7.2 re-runs the
   * whole command (BLPOP a b pops from the first non-empty key in its own order), so `key` only
   * says which key woke it. Writes a reply, and commits effects, only when it returns 'served'.
   */
  readonly retry: (key: string) => RetryOutcome;
  /** Write the command's timeout reply (BLPOP: null array; BLMOVE: null bulk; XREAD: null array). */
  readonly timedOut: () => void;
  /**
   * Wake this client also when a key is deleted or changes type, and count it in INFO's
   * total_blocking_keys_on_nokey (XREADGROUP: its group is gone, it answers with an error).
   * Deletions reach every retry anyway; this only feeds that counter.
   */
  readonly unblockOnNoKey?: boolean;
  /**
   * A time (unix ms) at which to run `retry` (with the first key) though no key was written
   * (XREADGROUP CLAIM: a pending entry grows idle enough to claim); asked when the client blocks
   * and again after each retry that does not serve. Infinity: none. A deadline at or before it
   * still times out.
   */
  readonly wakeAtMs?: () => number;
}

/** Everything a handler gets: its reply writer, its client, the server and the storage engine. */
export interface Ctx {
  readonly out: Reply;
  readonly client: ClientApi;
  readonly server: ServerApi;
  readonly engine: Engine;
  /** The time this command started, in unix ms; fixed for the whole command (and EXEC). */
  readonly nowMs: number;
  /** Apply a write: the one path by which a handler changes the keyspace. */
  commit(effect: Effect): void;
  /**
   * Whether this command may block its client (Redis's !CLIENT_DENY_BLOCKING). False inside EXEC
   * (the MULTI/EXEC code sets it false while running the queued commands and restores it), in
   * scripts, and while a blocked command's retry runs. A blocking command that finds nothing while
   * it is false answers at once with its timeout reply (BLPOP: null array), even with timeout 0;
   * argument errors come first as usual.
   */
  mayBlock: boolean;
  /**
   * Block the client as `spec` says (see BlockSpec); only when mayBlock is true, at most once per
   * command, and with no reply written. The handler then returns; the reply comes from
   * spec.retry or spec.timedOut.
   */
  block(spec: BlockSpec): void;
  /**
   * Announce a keyspace event, as Redis's notifyKeyspaceEvent: when notify-keyspace-events enables
   * `klass`, publishes `event` on __keyspace@<db>__:<key> (K) and `key` on __keyevent@<db>__:<event>
   * (E). `db` defaults to the client's selected database (MOVE and COPY name the other one).
   * Call it after the commit that made the change, once per key and event, in Redis's order
   * (e.g. 'list' 'lpush' after an LPUSH; 'generic' 'del' per key removed). Cheap when nobody
   * listens. 'new' (a key created) and 'expired' (lazy and active expiry) are announced by the
   * server itself; handlers need not call them.
   */
  notify(klass: KeyspaceEventClass, event: string, key: string, db?: number): void;
}
