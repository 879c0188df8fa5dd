// One client connection: its socket, its request reader, its reply writer and its session state.
// Commands run in arrival order, each to completion, as they are read.

import type { Socket } from 'node:net';
import type { ClientApi, Ctx } from '../commands/types';
import type { Effect } from '../storage/effects';
import type { Engine } from '../storage/engine';
import { ERR } from '../commands/errors';
import { RequestReader, type ReaderSink } from './resp/reader';
import { ReplyWriter } from './resp/writer';
import type { Flushable } from './flush';
import type { Server } from './server';

export class Client implements ClientApi, Ctx, ReaderSink, Flushable {
  readonly out = new ReplyWriter();
  readonly reader: RequestReader;
  readonly createdAtMs = Date.now();
  lastInteractionMs = this.createdAtMs;
  name = '';
  libName = '';
  libVersion = '';
  dbIndex = 0;
  authenticated: boolean;
  user = 'default';
  replyMode: 'on' | 'off' | 'skip' = 'on';
  /** Set by CLIENT REPLY SKIP: the next command's reply is dropped. */
  skipNextReply = false;
  noEvict = false;
  noTouch = false;
  flushQueued = false;
  /** Start time of the running command in unix ms (Ctx.nowMs). */
  nowMs = 0;
  /** Name of the last command run, for CLIENT LIST's cmd= field. */
  lastCommand = 'NULL';
  /** MONITOR mode: receives every command the server runs. */
  monitor = false;
  /** The connection is closing: no more commands run. */
  closing = false;
  private closeWhenFlushed = false;
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
    this.authenticated = server.config.get('requirepass') === '';
    this.out.onError = server.countError;
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
    this.server.scheduler.mark(this);
  };

  // ---- ReaderSink

  command(argv: Buffer[]): void {
    if (this.closing) return;
    this.server.dispatch(this, argv);
  }

  protocolError(detail: string): void {
    this.server.log.info({ client: this.addr, detail }, 'protocol error from client');
    this.out.error(ERR.protocol(detail));
    this.closeAfterReply();
  }

  queryBufferOverflow(bytes: number): void {
    this.server.log.warn({ client: this.addr, bytes }, 'closing client that reached max query buffer length');
    this.closeNow();
  }

  authRequired(): boolean {
    return !this.authenticated;
  }

  // ---- output

  flush(): void {
    const bytes = this.out.take();
    if (bytes !== null && !this.closed) {
      this.server.stats.totalNetOutputBytes += bytes.length;
      this.socket.write(bytes);
    }
    if (this.closeWhenFlushed && !this.closed) {
      this.closed = true;
      this.socket.end();
      this.server.forget(this);
    }
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

  reset(): void {
    this.dbIndex = 0;
    this.resp = 2;
    this.name = '';
    this.replyMode = 'on';
    this.skipNextReply = false;
    this.noEvict = false;
    this.noTouch = false;
    if (this.monitor) {
      this.monitor = false;
      this.server.removeMonitor(this);
    }
    this.authenticated = this.server.config.get('requirepass') === '';
    this.user = 'default';
  }

  describe(): string {
    const now = Date.now();
    const flags = this.monitor ? 'O' : 'N';
    return (
      `id=${this.id} addr=${this.addr} laddr=${this.laddr} fd=${this.fd} name=${this.name} ` +
      `age=${Math.floor((now - this.createdAtMs) / 1000)} idle=${Math.floor((now - this.lastInteractionMs) / 1000)} ` +
      `flags=${flags} db=${this.dbIndex} sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 ` +
      `multi-mem=0 rbs=16384 rbp=0 obl=0 oll=0 omem=0 tot-mem=${16384 + this.out.pendingBytes} events=r ` +
      `cmd=${this.lastCommand} user=${this.user} redir=-1 resp=${this.resp} lib-name=${this.libName} lib-ver=${this.libVersion}`
    );
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    this.reader.stop();
    this.server.forget(this);
  }
}

function formatAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return '?:0';
  const host = address.startsWith('::ffff:') ? address.slice(7) : address;
  return `${host}:${port ?? 0}`;
}

/** The OS file descriptor of a socket where Node exposes it (CLIENT LIST's fd=). */
function socketFd(socket: Socket): number {
  const handle = (socket as unknown as { _handle?: { fd?: number } })._handle;
  return typeof handle?.fd === 'number' ? handle.fd : -1;
}
