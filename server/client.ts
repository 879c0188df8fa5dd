// One client connection: its socket, its request reader, its reply writer and its session state.
// Commands run in arrival order, each to completion, as they are read.

import type { Socket } from 'node:net';
import type { BlockSpec, ClientApi, Ctx, KeyspaceEventClass } from '../commands/types';
import type { Effect } from '../storage/effects';
import type { AclUser } from './acl/user';
import type { Engine } from '../storage/engine';
import { ERR } from '../commands/errors';
import type { BlockedCall } from './blocked-clients';
import { CommandBacklog } from './blocking';
import { RequestReader, type ReaderSink } from './resp/reader';
import { ReplyWriter } from './resp/writer';
import type { Flushable } from './flush';
import { Transaction } from './multi';
import type { Server } from './server';

/** Something that leaves a mode when a client runs RESET (MULTI, pub/sub, WATCH... register here). */
export type ResetHook = (client: Client) => void;

export class Client implements ClientApi, Ctx, ReaderSink, Flushable {
  /**
   * What RESET must also undo, registered by the modules that own those modes (transactions,
   * pub/sub, tracking), so that this file does not need to know each of them.
   */
  static readonly resetHooks: ResetHook[] = [];

  readonly out = new ReplyWriter();
  readonly reader: RequestReader;
  readonly createdAtMs = Date.now();
  /** Last time the client sent us something or was sent a reply (CLIENT LIST idle=, `timeout`). */
  lastInteractionMs = this.createdAtMs;
  /** CLIENT SETNAME / HELLO SETNAME; '' when unnamed. Printable ASCII without spaces only. */
  name = '';
  /** CLIENT SETINFO LIB-NAME / LIB-VER; '' when unset. */
  libName = '';
  libVersion = '';
  dbIndex = 0;
  /** Whether AUTH (or HELLO AUTH) succeeded, or the connection began while no password was set. */
  private authed: boolean;
  /** The ACL user whose permissions apply; the default user until AUTH or HELLO AUTH. */
  aclUser: AclUser;
  /** CLIENT REPLY mode; 'skip' only from a SKIP until dispatch turns it into skipNextReply. */
  private mode: 'on' | 'off' | 'skip' = 'on';
  /** The command being run follows a CLIENT REPLY SKIP: its reply is dropped. */
  skipNextReply = false;
  noEvict = false;
  noTouch = false;
  flushQueued = false;
  /** Start time of the running command in unix ms (Ctx.nowMs). */
  nowMs = 0;
  /** Full name of the command running or last run (CLIENT LIST cmd=); 'NULL' before the first. */
  lastCommand = 'NULL';
  /** Arguments of the command being run, for CLIENT LIST argv-mem=; empty between commands. */
  currentArgv: readonly Buffer[] = [];
  /** MONITOR mode: receives every command the server runs. */
  monitor = false;
  /** The connection is closing: no more commands run. */
  closing = false;
  // State owned by other families, shown by CLIENT LIST; they keep these up to date.
  /** Channels, patterns and shard channels subscribed to (sub=, psub=, ssub=; flag P). */
  subscriptions = 0;
  patternSubscriptions = 0;
  shardSubscriptions = 0;
  /** Commands queued in MULTI, or -1 outside MULTI (multi=; flag x); kept by `transaction`. */
  multiQueued = -1;
  /** MULTI/EXEC state and watched keys. */
  readonly transaction: Transaction;
  /** Blocked on a key or on WAIT (flag b). */
  blocked = false;
  /** Ctx.mayBlock: false inside EXEC and while a blocked command's retry runs. */
  mayBlock = true;
  /** The command this client is blocked in, for its stats once it completes; null when not blocked. */
  blockedCall: BlockedCall | null = null;
  /** Commands sent while blocked (or before the backlog of an unblocked client ran), in order. */
  readonly backlog = new CommandBacklog();
  /** A replica connected to this server (PSYNC/SYNC ran): it gets the replication stream (flag S). */
  replica = false;
  /** Log offset just past this client's last write (Redis's woff): what WAIT waits for. */
  woff = 0;
  /** Called once the replies taken up to a given take have been sent (replication's takeover). */
  private sentWatch: { afterTake: number; fn: () => void } | null = null;
  /** When the unsent output went over its class's soft limit, in unix ms; 0 while under (server/output-limits.ts). */
  softLimitSinceMs = 0;
  private closeWhenFlushed = false;
  /** Counts of takeReplies and sendReplies calls; the close happens once send number closeAfterTake is done. */
  private repliesTaken = 0;
  private repliesSent = 0;
  private closeAfterTake = 0;
  private closed = false;
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    readonly server: Server,
  ) {
    this.addr = formatAddress(socket.remoteAddress, socket.remotePort);
    this.laddr = formatAddress(socket.localAddress, socket.localPort);
    this.fd = socketFd(socket);
    // As in Redis, a connection made while the default user has no password is authenticated for
    // good: setting requirepass later does not log it out.
    this.aclUser = server.acl.defaultUser;
    this.authed = !passwordRequired(server);
    this.out.onError = server.countError;
    this.transaction = new Transaction(this, server);
    this.reader = new RequestReader(this, server.readerLimits);
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('error', () => this.onClosed());
    socket.on('close', () => this.onClosed());
  }

  // ---- Ctx: a client is the context its own commands run in

  get client(): this {
    return this;
  }

  get engine(): Engine {
    return this.server.engine;
  }

  commit(effect: Effect): void {
    this.server.commit(effect);
  }

  block(spec: BlockSpec): void {
    this.server.blocking.block(this, spec);
  }

  notify(klass: KeyspaceEventClass, event: string, key: string, db: number = this.dbIndex): void {
    this.server.keyspaceEvents.notify(klass, event, key, db);
  }

  get resp(): 2 | 3 {
    return this.out.resp;
  }

  set resp(version: 2 | 3) {
    this.out.resp = version;
  }

  private readonly onData = (chunk: Buffer): void => {
    this.server.stats.totalNetInputBytes += chunk.length;
    this.lastInteractionMs = Date.now();
    this.reader.feed(chunk);
    // The commands of this chunk ran back to back; the next one starts a new clock reading.
    this.server.commandClockMs = -1;
    this.server.scheduler.mark(this);
  };

  /**
   * Whether this connection may run commands that need authentication: it authenticated, or the
   * default user has no password (clearing requirepass lets everyone in, as in Redis).
   */
  get authenticated(): boolean {
    return this.authed || !passwordRequired(this.server);
  }

  set authenticated(value: boolean) {
    this.authed = value;
  }

  get user(): string {
    return this.aclUser.name;
  }

  /** AUTH / HELLO AUTH succeeded as `user`. */
  login(user: AclUser): void {
    this.aclUser = user;
    this.authed = true;
  }

  /** The user was deleted: back to the default user, unauthenticated (the connection is closing). */
  logout(defaultUser: AclUser): void {
    this.aclUser = defaultUser;
    this.authed = false;
  }

  /**
   * CLIENT REPLY mode. ON also cancels a SKIP, the one pending and the one covering this command,
   * and replies written from here on are sent; OFF drops replies from here on.
   */
  get replyMode(): 'on' | 'off' | 'skip' {
    return this.mode;
  }

  set replyMode(mode: 'on' | 'off' | 'skip') {
    this.mode = mode;
    if (mode === 'on') {
      this.skipNextReply = false;
      this.out.unsilence();
    } else if (mode === 'off') {
      this.out.silence();
    }
  }

  /** A command starts (or a blocked one is retried): under OFF or a SKIP its replies are dropped. */
  startReplies(): void {
    if (this.mode === 'off' || this.skipNextReply) this.out.silence();
  }

  /**
   * A command's turn ended (Redis's resetClient): what it wrote while silenced is dropped. Once the
   * command is done, a SKIP that covered it is used up and a SKIP it gave covers the next command;
   * a command that blocked is not done until it is served, times out or is unblocked.
   */
  finishReplies(): void {
    this.out.unsilence();
    if (this.blocked) return;
    const skipRequested = this.mode === 'skip';
    if (skipRequested) this.mode = 'on';
    this.skipNextReply = skipRequested;
  }

  // ---- ReaderSink

  command(argv: Buffer[]): void {
    if (this.closing) return;
    // A blocked client's commands wait, as they wait in Redis's query buffer, and count against its limit.
    if (this.blocked || this.backlog.length > 0) {
      this.backlog.push(argv);
      if (this.backlog.bytes > this.server.readerLimits.queryBufferLimit) this.queryBufferOverflow(this.backlog.bytes);
      return;
    }
    this.run(argv);
  }

  /** Run one command now (a command just read, or one from the backlog). */
  run(argv: Buffer[]): void {
    this.currentArgv = argv;
    this.server.dispatch(this, argv);
    // A blocked command keeps showing its arguments (CLIENT LIST argv-mem=) until it completes.
    if (!this.blocked) this.currentArgv = [];
  }

  protocolError(detail: string): void {
    this.server.log.info({ client: this.addr, detail }, 'protocol error from client');
    this.out.error(ERR.protocol(detail));
    this.closeAfterReply();
  }

  queryBufferOverflow(bytes: number): void {
    this.server.log.warn({ client: this.addr, bytes }, 'closing client that reached max query buffer length');
    this.server.stats.queryBufferLimitDisconnections++;
    this.closeNow();
  }

  authRequired(): boolean {
    return !this.authenticated;
  }

  // ---- output

  /** Send what is pending now (shutdown; the scheduler normally does this once per turn). */
  flush(): void {
    this.sendReplies(this.takeReplies());
  }

  /**
   * The replies written so far. server/flush.ts may hold them until the turn's records are durable
   * and hand them to sendReplies later, in the order taken (takes and sends pair up in order).
   */
  takeReplies(): Buffer | null {
    this.repliesTaken++;
    // A close asked for (QUIT, protocol error) happens after the replies taken now are sent.
    if (this.closeWhenFlushed && this.closeAfterTake === 0) this.closeAfterTake = this.repliesTaken;
    return this.out.take();
  }

  /** Send replies taken earlier, then close if the connection asked to close after them. */
  sendReplies(bytes: Buffer | null): void {
    this.repliesSent++;
    if (bytes !== null && !this.closed) {
      this.server.stats.totalNetOutputBytes += bytes.length;
      // Writing to a client counts as interaction too (Redis's lastinteraction), for `timeout`.
      this.lastInteractionMs = Date.now();
      this.socket.write(bytes);
      this.server.enforceOutputLimit(this);
    }
    if (this.sentWatch !== null && this.repliesSent >= this.sentWatch.afterTake) {
      const fn = this.sentWatch.fn;
      this.sentWatch = null;
      fn();
    }
    if (this.closeAfterTake !== 0 && this.repliesSent >= this.closeAfterTake && !this.closed) {
      this.closed = true;
      this.socket.end();
      this.server.forget(this);
    }
  }

  /**
   * Replication: call `fn` once every reply written so far has gone to the socket (replies may be
   * held for the group commit), so that bytes written with writeRaw afterwards follow them.
   */
  whenRepliesSent(fn: () => void): void {
    this.sentWatch = { afterTake: this.repliesTaken + 1, fn };
    this.server.scheduler.mark(this);
  }

  /** Replication: bytes straight to the socket. False when its buffer is full (wait for onceDrain). */
  writeRaw(bytes: Buffer): boolean {
    if (this.closed) return false;
    return this.socket.write(bytes);
  }

  onceDrain(fn: () => void): void {
    this.socket.once('drain', fn);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Output not yet taken by the kernel: replies pending here and bytes queued in the socket. */
  get unsentBytes(): number {
    return this.out.pendingBytes + this.socket.writableLength;
  }

  /** Replies were written by someone other than this connection's own command (pub/sub, wakes). */
  wake(): void {
    this.server.scheduler.mark(this);
  }

  // ---- ClientApi

  closeAfterReply(): void {
    this.closing = true;
    this.closeWhenFlushed = true;
    this.reader.stop();
    this.server.scheduler.mark(this);
  }

  /** Drop the connection without sending what is pending (CLIENT KILL, limits). */
  closeNow(): void {
    this.closing = true;
    this.reader.stop();
    if (!this.closed) {
      this.closed = true;
      this.socket.destroy();
      this.server.forget(this);
    }
  }

  startMonitor(): void {
    this.monitor = true;
    this.server.addMonitor(this);
  }

  /** RESET: back to a fresh connection's state (Redis's clearClientConnectionState). */
  reset(): void {
    for (const hook of Client.resetHooks) hook(this);
    this.transaction.discard();
    this.dbIndex = 0;
    this.resp = 2;
    this.name = '';
    // As Redis's clearClientConnectionState: OFF and a pending SKIP end, a SKIP covering this RESET stays.
    this.mode = 'on';
    if (!this.skipNextReply) this.out.unsilence();
    this.noEvict = false;
    this.noTouch = false;
    if (this.monitor) {
      this.monitor = false;
      this.server.removeMonitor(this);
    }
    // Back to the default user; authenticated only if that user needs no password.
    this.aclUser = this.server.acl.defaultUser;
    this.authed = !passwordRequired(this.server);
  }

  /** The CLIENT LIST / CLIENT INFO line, with Redis 7.2's fields in Redis's order. */
  describe(): string {
    const now = Date.now();
    const argvMem = this.currentArgv.reduce((sum, arg) => sum + arg.length, 0);
    const obl = this.out.pendingBytes;
    const omem = this.socket.writableLength;
    const multiMem = this.transaction.memoryBytes;
    return (
      `id=${this.id} addr=${this.addr} laddr=${this.laddr} fd=${this.fd} name=${this.name} ` +
      `age=${Math.floor((now - this.createdAtMs) / 1000)} idle=${Math.floor((now - this.lastInteractionMs) / 1000)} ` +
      `flags=${this.flags()} db=${this.dbIndex} sub=${this.subscriptions} psub=${this.patternSubscriptions} ` +
      `ssub=${this.shardSubscriptions} multi=${this.multiQueued} qbuf=0 qbuf-free=0 argv-mem=${argvMem} ` +
      `multi-mem=${multiMem} rbs=0 rbp=0 obl=${obl} oll=0 omem=${omem} tot-mem=${argvMem + multiMem + obl + omem} ` +
      `events=${omem > 0 ? 'rw' : 'r'} cmd=${this.lastCommand} user=${this.user} redir=-1 resp=${this.resp} ` +
      `lib-name=${this.libName} lib-ver=${this.libVersion}`
    );
  }

  /** CLIENT LIST flags=, in the order Redis prints them; 'N' when none applies. */
  private flags(): string {
    let flags = '';
    if (this.replica) flags += 'S';
    if (this.monitor) flags += 'O';
    if (this.subscriptions + this.patternSubscriptions + this.shardSubscriptions > 0) flags += 'P';
    if (this.multiQueued >= 0) flags += 'x';
    if (this.blocked) flags += 'b';
    if (this.closeWhenFlushed) flags += 'c';
    if (this.noEvict) flags += 'e';
    if (this.noTouch) flags += 'T';
    return flags === '' ? 'N' : flags;
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    this.reader.stop();
    this.server.forget(this);
  }
}

/** Whether the default user needs a password (or is off), so connections must authenticate. */
function passwordRequired(server: Server): boolean {
  return server.acl.defaultUserRequiresAuth();
}

function formatAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return '?:0';
  const host = address.startsWith('::ffff:') ? address.slice(7) : address;
  // Redis's anetFormatAddr: IPv6 addresses go in brackets so the port stays readable.
  return host.includes(':') ? `[${host}]:${port ?? 0}` : `${host}:${port ?? 0}`;
}

/** The OS file descriptor of a socket where Node exposes it (CLIENT LIST's fd=). */
function socketFd(socket: Socket): number {
  const handle = (socket as unknown as { _handle?: { fd?: number } })._handle;
  return typeof handle?.fd === 'number' ? handle.fd : -1;
}
