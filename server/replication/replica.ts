// The replica side: the link to the master. It connects, runs Redis's handshake (PING, AUTH,
// REPLCONF listening-port and capa, PSYNC replid offset), then either continues (+CONTINUE) or
// receives a snapshot (+FULLRESYNC) that replaces the keyspace and the log, and from then on
// applies the master's records as they come: each record's effects through the engine's commit
// (the same apply as recovery), then the record itself appended to this server's log at the same
// offset. It acknowledges its offset after each batch and every second, and after a break it
// reconnects by itself, asking to continue from where its log ends.

import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { SNAPSHOT_DIR_NAME } from '../../storage/snapshot';
import type { ChannelKind } from '../../commands/types';
import type { Engine } from '../../storage/engine';
import type { Logger } from '../logger';
import type { Persistence } from '../persistence';
import { StreamParser, type ReceivedRecord } from './stream';

/** Redis's repl_state, as far as INFO shows it. */
export type LinkState = 'connect' | 'connecting' | 'handshake' | 'transfer' | 'connected';

export interface ReplicaHost {
  readonly log: Logger;
  readonly engine: Engine;
  readonly persistence: Persistence;
  readonly dir: string;
  /** Our replication id and offset, to ask PSYNC for. */
  psyncPosition(): { replid: string; offset: number };
  masterAuth(): { user: string; pass: string } | null;
  /** Bytes received from the master (total_net_repl_input_bytes). */
  countInput(bytes: number): void;
  listeningPort(): number;
  replTimeoutSec(): number;
  /** +CONTINUE named another id: the master changed history (it was promoted). */
  masterReplidChanged(replid: string): void;
  /** A full resync is about to replace the data: give up the old history. */
  fullResyncStarting(): void;
  /** The full resync is complete: the data follows `replid` from `offset`. */
  fullResyncDone(replid: string, offset: number): void;
  /** A message published on the master (PUBLISH / SPUBLISH), after the records before it. */
  published(kind: ChannelKind, channel: string, message: Buffer): void;
}

/** Reconnection delay after a failure (Redis retries from its once-a-second cron). */
const RETRY_MS = 1000;
/** How often the replica checks for an ACK to send (its durable offset may have moved). */
const ACK_CHECK_MS = 100;

/** A line-and-bytes reader over a socket, for the handshake and the snapshot transfer. */
class SocketReader {
  private buffered: Buffer = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private ended: Error | null = null;

  constructor(socket: Socket) {
    socket.on('data', this.onData);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    this.notify();
  };

  end(err: Error): void {
    this.ended = err;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async more(): Promise<void> {
    if (this.ended !== null) throw this.ended;
    await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.ended !== null) throw this.ended;
  }

  /** A line without its CRLF. Newlines alone (Redis's keepalives during a transfer) are skipped. */
  async line(): Promise<string> {
    for (;;) {
      const at = this.buffered.indexOf('\n');
      if (at >= 0) {
        const line = this.buffered.subarray(0, at).toString('latin1').replace(/\r$/, '');
        this.buffered = this.buffered.subarray(at + 1);
        if (line !== '') return line;
        continue;
      }
      await this.more();
    }
  }

  /** Exactly `length` bytes, handed to `sink` piece by piece as they arrive. */
  async bytes(length: number, sink: (piece: Buffer) => void): Promise<void> {
    let left = length;
    for (;;) {
      if (this.buffered.length > 0) {
        const piece = this.buffered.subarray(0, Math.min(left, this.buffered.length));
        this.buffered = this.buffered.subarray(piece.length);
        left -= piece.length;
        sink(piece);
      }
      if (left === 0) return;
      await this.more();
    }
  }

  /** Stop reading here: what is buffered goes to the caller, later data to its own listener. */
  detach(socket: Socket): Buffer {
    socket.off('data', this.onData);
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    return rest;
  }
}

export class MasterLink {
  state: LinkState = 'connect';
  private socket: Socket | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private ackTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Last time anything came from the master (master_last_io_seconds_ago, repl-timeout). */
  lastIoMs = Date.now();
  /** When the link went down (master_link_down_since_seconds); null while up. */
  downSinceMs: number | null = Date.now();
  /** Snapshot transfer progress (master_sync_total_bytes / read_bytes). */
  syncTotalBytes = 0;
  syncReadBytes = 0;
  /** Log offset the stream has delivered (slave_read_repl_offset), applied or not. */
  readOffset = 0;
  private lastAckSent = { offset: -1, aof: -1, atMs: 0 };
  /** A full resync is replacing the data now. */
  private loading = false;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly replica: ReplicaHost,
  ) {
    this.connect();
  }

  get up(): boolean {
    return this.state === 'connected';
  }

  get syncInProgress(): boolean {
    return this.state === 'transfer';
  }

  /** REPLICAOF NO ONE or another master: close for good. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.ackTimer !== null) clearInterval(this.ackTimer);
    this.retryTimer = null;
    this.ackTimer = null;
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): void {
    if (this.stopped) return;
    this.state = 'connecting';
    const socket = createConnection({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    this.socket = socket;
    const reader = new SocketReader(socket);
    let failed = false;
    const fail = (why: string) => {
      if (failed) return;
      failed = true;
      reader.end(new Error(why));
      this.linkLost(socket, why);
    };
    socket.setTimeout(this.replica.replTimeoutSec() * 1000, () => fail('Timeout connecting to the MASTER...'));
    socket.on('error', (err) => fail(`Error condition on socket for SYNC: ${err.message}`));
    socket.on('close', () => fail('Connection with master lost.'));
    socket.on('connect', () => {
      this.replica.log.info({ master: `${this.host}:${this.port}` }, 'MASTER <-> REPLICA sync started');
      this.handshake(socket, reader).catch((err: Error) => {
        this.replica.log.warn({ master: `${this.host}:${this.port}`, err: err.message }, 'Replication handshake with the master failed');
        fail(err.message);
        socket.destroy();
      });
    });
  }

  private linkLost(socket: Socket, why: string): void {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.ackTimer !== null) clearInterval(this.ackTimer);
    this.ackTimer = null;
    const wasUp = this.state === 'connected';
    this.state = 'connect';
    if (this.downSinceMs === null) this.downSinceMs = Date.now();
    if (wasUp) this.replica.log.info({ why }, 'Connection with master lost.');
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // A full resync still loading finishes first; the reconnection waits for it.
      if (this.loading) this.linkLost(socket, why);
      else this.connect();
    }, RETRY_MS);
  }

  private command(socket: Socket, ...args: string[]): void {
    let out = `*${args.length}\r\n`;
    for (const a of args) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
    socket.write(out);
  }

  private async handshake(socket: Socket, reader: SocketReader): Promise<void> {
    this.state = 'handshake';
    this.command(socket, 'PING');
    const pong = await reader.line();
    // Like Redis, an authentication error here is fine: AUTH comes next.
    if (pong.startsWith('-') && !/^-(NOAUTH|NOPERM|ERR operation not permitted)/.test(pong)) {
      throw new Error(`Error reply to PING from master: '${pong}'`);
    }
    const auth = this.replica.masterAuth();
    if (auth !== null) {
      if (auth.user !== '') this.command(socket, 'AUTH', auth.user, auth.pass);
      else this.command(socket, 'AUTH', auth.pass);
      const reply = await reader.line();
      if (reply.startsWith('-')) throw new Error(`Unable to AUTH to MASTER: ${reply}`);
    }
    this.command(socket, 'REPLCONF', 'listening-port', String(this.replica.listeningPort()));
    const portReply = await reader.line();
    if (portReply.startsWith('-')) this.replica.log.info({ reply: portReply }, '(Non critical) Master does not understand REPLCONF listening-port');
    this.command(socket, 'REPLCONF', 'capa', 'eof', 'capa', 'psync2', 'capa', 'sluice');
    const capaReply = await reader.line();
    if (capaReply.startsWith('-')) this.replica.log.info({ reply: capaReply }, '(Non critical) Master does not understand REPLCONF capa');
    const { replid, offset } = this.replica.psyncPosition();
    this.command(socket, 'PSYNC', replid, String(offset + 1));
    const reply = await reader.line();
    if (reply.startsWith('+CONTINUE')) {
      const newId = reply.split(' ')[1];
      if (newId !== undefined && newId !== replid) this.replica.masterReplidChanged(newId);
      this.replica.log.info({ offset }, 'Successful partial resynchronization with master.');
      this.startStreaming(socket, reader, offset);
      return;
    }
    const full = /^\+FULLRESYNC ([0-9a-f]{40}) (\d+)$/.exec(reply);
    if (full === null) throw new Error(`Unexpected reply to PSYNC from master: ${reply}`);
    await this.receiveSnapshot(socket, reader, full[1]!, Number(full[2]));
  }

  private async receiveSnapshot(socket: Socket, reader: SocketReader, replid: string, offset: number): Promise<void> {
    this.state = 'transfer';
    this.replica.log.info({ replid, offset }, 'Full resync from master');
    const header = await reader.line();
    const m = /^\$(\d+)$/.exec(header);
    if (m === null) throw new Error(`Bad protocol from MASTER, the first byte is not '$': ${header}`);
    this.syncTotalBytes = Number(m[1]);
    this.syncReadBytes = 0;
    mkdirSync(join(this.replica.dir, SNAPSHOT_DIR_NAME), { recursive: true });
    const tmpPath = join(this.replica.dir, SNAPSHOT_DIR_NAME, `replica-${String(offset).padStart(20, '0')}.snap.tmp`);
    const fd = openSync(tmpPath, 'w', 0o644);
    try {
      await reader.bytes(this.syncTotalBytes, (piece) => {
        writeSync(fd, piece);
        this.syncReadBytes += piece.length;
        this.lastIoMs = Date.now();
      });
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.replica.log.info({ bytes: this.syncTotalBytes }, 'MASTER <-> REPLICA sync: Loading the snapshot received');
    this.replica.fullResyncStarting();
    this.loading = true;
    // Data arriving meanwhile stays in the reader's buffer until streaming starts.
    try {
      await this.replica.persistence.resetFromSnapshot(tmpPath, offset);
    } finally {
      this.loading = false;
    }
    this.replica.fullResyncDone(replid, offset);
    if (this.socket !== socket) return;
    this.replica.log.info({ offset }, 'MASTER <-> REPLICA sync: Finished with success');
    this.startStreaming(socket, reader, offset);
  }

  private startStreaming(socket: Socket, reader: SocketReader, offset: number): void {
    this.state = 'connected';
    this.downSinceMs = null;
    this.lastIoMs = Date.now();
    this.readOffset = offset;
    socket.setTimeout(0);
    const parser = new StreamParser({
      record: (r) => this.apply(r),
      getAck: () => this.sendAck(true),
      publish: (kind, channel, message) => this.replica.published(kind, channel, message),
      damaged: (reason) => {
        this.replica.log.warn({ reason }, 'Damaged replication stream; reconnecting');
        socket.destroy();
      },
    });
    const onData = (chunk: Buffer): void => {
      this.lastIoMs = Date.now();
      this.replica.countInput(chunk.length);
      try {
        parser.feed(chunk);
      } catch (err) {
        // An effect this server cannot apply (e.g. a database it does not have): never diverge silently.
        this.replica.log.error({ err: (err as Error).message }, 'Could not apply a record from the master; link dropped, full resync next');
        this.replica.fullResyncStarting();
        socket.destroy();
        return;
      }
      this.readOffset = offset + parser.logBytesRead;
      this.replica.persistence.flushReplicated();
      this.sendAck(false);
    };
    const rest = reader.detach(socket);
    socket.on('data', onData);
    this.lastAckSent = { offset: -1, aof: -1, atMs: 0 };
    this.sendAck(true);
    if (rest.length > 0) onData(rest);
    this.ackTimer = setInterval(() => this.cron(socket), ACK_CHECK_MS);
    this.ackTimer.unref();
  }

  private apply(record: ReceivedRecord): void {
    const { engine, persistence } = this.replica;
    for (const effect of record.decoded.effects) engine.commit(effect);
    persistence.appendReplicated(record.payload, record.decoded.durableOffset);
  }

  /** REPLCONF ACK <offset> FACK <durable offset>, when either moved (or `force`, or a second passed). */
  private sendAck(force: boolean): void {
    const socket = this.socket;
    const log = this.replica.persistence.replicationLog;
    if (socket === null || log === null || this.state !== 'connected') return;
    const offset = log.logEndOffset;
    const aof = log.syncedOffset;
    const now = Date.now();
    if (!force && offset === this.lastAckSent.offset && aof === this.lastAckSent.aof && now - this.lastAckSent.atMs < 1000) return;
    this.lastAckSent = { offset, aof, atMs: now };
    this.command(socket, 'REPLCONF', 'ACK', String(offset), 'FACK', String(aof));
  }

  private cron(socket: Socket): void {
    if (this.socket !== socket) return;
    if (Date.now() - this.lastIoMs > this.replica.replTimeoutSec() * 1000) {
      this.replica.log.warn('MASTER timeout: no data nor PING received...');
      socket.destroy();
      return;
    }
    this.sendAck(false);
  }
}
