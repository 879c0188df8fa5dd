// The master side: replicas connected to this server. The log is the backlog: PSYNC continues from
// any offset the log still holds; otherwise a full resync sends a snapshot (one this server has, or
// a background one started for it) followed by the log from the snapshot's offset. Every replica is
// then fed from the log files as records are written, with the socket's backpressure respected, so
// a slow replica costs no memory here: it simply reads further behind, until its
// client-output-buffer-limit (counted as the log it has still to receive) disconnects it.
//
// Published messages (PUBLISH, SPUBLISH) go to replicas as Redis sends them, but they are not
// records of the log: each waits in its link's queue, placed at the log offset it was published
// at, and goes out once the records before it are sent.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Client } from '../client';
import type { Logger } from '../logger';
import type { Persistence } from '../persistence';
import { limitReached, type OutputLimit, type SoftLimitState } from '../output-limits';
import type { ReplicationIds } from './ids';
import { dataChunk, GETACK, HEARTBEAT } from './stream';

/** Log bytes read and sent per step. */
const CHUNK_BYTES = 256 * 1024;

/** What a connection said with REPLCONF before PSYNC. */
export interface ReplicaHello {
  listeningPort: number;
  ipAddress: string | null;
  capabilities: Set<string>;
}

export type ReplicaState = 'wait_bgsave' | 'send_bulk' | 'online';

/** INFO stats' replication counters, with Redis's meanings. */
export interface ReplicationStats {
  syncFull: number;
  syncPartialOk: number;
  /** PSYNCs naming a history (not "?") that could not continue. */
  syncPartialErr: number;
  /** Bytes sent to replicas (snapshots and stream) and received from a master. */
  outputBytes: number;
  inputBytes: number;
}

/** A published message waiting for the log to be sent up to `offset`. */
interface QueuedMessage {
  readonly offset: number;
  readonly chunk: Buffer;
}

export class ReplicaLink implements SoftLimitState {
  state: ReplicaState = 'wait_bgsave';
  /** Next log offset to send (during send_bulk: the snapshot's offset). */
  sentOffset = 0;
  /** Offset the replica acknowledged having applied (REPLCONF ACK), and the one it made durable (FACK). */
  ackOffset = 0;
  aofAckOffset = 0;
  lastAckMs = Date.now();
  /** Last time anything was sent (a heartbeat goes out after a second of silence). */
  lastSendMs = Date.now();
  /** Waiting for the socket to drain. */
  draining = false;
  closed = false;
  /** Messages published since it attached, in order, not yet sent. */
  readonly messages: QueuedMessage[] = [];
  messageBytes = 0;
  /** client-output-buffer-limit replica: since when it is over the soft limit (0: it is not). */
  softLimitSinceMs = 0;

  constructor(
    readonly client: Client,
    readonly hello: ReplicaHello,
    /** The log's end when it attached: what was written before is not counted against its limit. */
    readonly attachOffset: number,
  ) {}

  /** The address Sentinel and INFO show: REPLCONF ip-address, else the connection's peer address. */
  get ip(): string {
    if (this.hello.ipAddress !== null) return this.hello.ipAddress;
    const addr = this.client.addr;
    const host = addr.slice(0, addr.lastIndexOf(':'));
    return host.startsWith('[') ? host.slice(1, -1) : host;
  }
}

export interface PrimaryHost {
  readonly log: Logger;
  readonly persistence: Persistence;
  ids(): ReplicationIds;
  replTimeoutSec(): number;
  /** client-output-buffer-limit's replica class. */
  outputLimit(): OutputLimit;
}

export class Primary {
  private readonly links = new Map<Client, ReplicaLink>();
  private pumpScheduled = false;
  /** Messages published during the current command, placed at its log offset once it is done. */
  private unplaced: Buffer[] = [];
  /** Called after each ACK (WAIT's waiters are checked). */
  onAck: (() => void) | null = null;
  readonly stats: ReplicationStats = { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0, outputBytes: 0, inputBytes: 0 };

  constructor(private readonly host: PrimaryHost) {
    host.persistence.onLogWritten = this.schedulePump;
    host.persistence.retentionFloor = () => this.retentionFloor();
  }

  get replicas(): Iterable<ReplicaLink> {
    return this.links.values();
  }

  get count(): number {
    return this.links.size;
  }

  linkOf(client: Client): ReplicaLink | undefined {
    return this.links.get(client);
  }

  /**
   * PSYNC / SYNC from `client`: answer +CONTINUE or +FULLRESYNC (`psync` false: SYNC, which gets
   * the snapshot without that line) once its earlier replies are out, then stream.
   */
  attach(client: Client, hello: ReplicaHello, replid: string | null, psyncOffset: number, psync: boolean): void {
    const link = new ReplicaLink(client, hello, this.host.persistence.logEndOffset);
    client.replica = true;
    this.links.set(client, link);
    const log = this.host.persistence.replicationLog!;
    const ids = this.host.ids();
    // Redis's offsets count bytes from 1: PSYNC asks for the next byte, our log position + 1.
    const position = psyncOffset - 1;
    const sameHistory = replid === ids.replid || (replid === ids.replid2 && psyncOffset <= ids.secondReplOffset);
    if (psync && sameHistory && position >= log.logStartOffset && position <= log.logEndOffset) {
      this.stats.syncPartialOk++;
      link.state = 'online';
      link.sentOffset = position;
      link.ackOffset = position;
      this.host.log.info({ replica: client.addr, offset: position }, `Partial resynchronization request from ${client.addr} accepted`);
      client.whenRepliesSent(() => {
        this.send(link, Buffer.from(`+CONTINUE ${ids.replid}\r\n`));
        this.pump(link);
      });
      return;
    }
    this.stats.syncFull++;
    if (psync && replid !== '?') {
      this.stats.syncPartialErr++;
      this.host.log.info(
        { replica: client.addr, replid, offset: psyncOffset, ourReplid: ids.replid, logStart: log.logStartOffset, logEnd: log.logEndOffset },
        'Partial resynchronization not possible; full resync',
      );
    }
    client.whenRepliesSent(() => void this.fullResync(link, psync));
  }

  private async fullResync(link: ReplicaLink, psync: boolean): Promise<void> {
    let snapshot: { offset: number; path: string };
    let fd: number;
    try {
      snapshot = await this.host.persistence.snapshotForReplica();
      fd = openSync(snapshot.path, 'r');
    } catch (err) {
      this.host.log.warn({ replica: link.client.addr, err: (err as Error).message }, 'No snapshot for the full resync; replica dropped');
      this.drop(link);
      return;
    }
    if (link.closed) {
      closeSync(fd);
      return;
    }
    const size = fstatSync(fd).size;
    link.state = 'send_bulk';
    link.sentOffset = snapshot.offset;
    // The snapshot holds the state at its offset: messages published before it are not sent (as a
    // Redis replica gets only what was published once its master's BGSAVE began).
    while (link.messages.length > 0 && link.messages[0]!.offset < snapshot.offset) this.shiftMessage(link);
    link.ackOffset = snapshot.offset;
    const ids = this.host.ids();
    this.host.log.info({ replica: link.client.addr, offset: snapshot.offset, bytes: size }, 'Starting a full resync: sending the snapshot');
    const head = (psync ? `+FULLRESYNC ${ids.replid} ${snapshot.offset}\r\n` : '') + `$${size}\r\n`;
    this.send(link, Buffer.from(head));
    let position = 0;
    const step = (): void => {
      if (link.closed) {
        closeSync(fd);
        return;
      }
      while (position < size) {
        const buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, size - position));
        const n = readSync(fd, buf, 0, buf.length, position);
        if (n <= 0) {
          closeSync(fd);
          this.host.log.warn({ replica: link.client.addr }, 'Snapshot file shorter than expected; replica dropped');
          this.drop(link);
          return;
        }
        position += n;
        if (!this.send(link, n === buf.length ? buf : buf.subarray(0, n))) {
          link.client.onceDrain(step);
          return;
        }
      }
      closeSync(fd);
      link.state = 'online';
      this.host.log.info({ replica: link.client.addr }, 'Synchronization with replica succeeded');
      this.pump(link);
    };
    step();
  }

  /** After records were written: feed every online replica (once per turn). */
  private readonly schedulePump = (): void => {
    if (this.pumpScheduled || this.links.size === 0) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      const now = Date.now();
      for (const link of [...this.links.values()]) {
        if (!this.overLimit(link, now)) this.pump(link);
      }
    });
  };

  /** Whether any replica is linked (a message to pass on is encoded only then). */
  get hasReplicas(): boolean {
    return this.links.size > 0;
  }

  /** A PUBLISH / SPUBLISH to pass on (as a stream chunk); placed by placePublishes. */
  propagatePublish(chunk: Buffer): void {
    if (this.links.size > 0) this.unplaced.push(chunk);
  }

  /** After a command (or a received batch): its messages follow the log up to `offset`. */
  placePublishes(offset: number): void {
    if (this.unplaced.length === 0) return;
    const chunks = this.unplaced;
    this.unplaced = [];
    for (const link of this.links.values()) {
      for (const chunk of chunks) {
        link.messages.push({ offset, chunk });
        link.messageBytes += chunk.length;
      }
    }
    this.schedulePump();
  }

  private shiftMessage(link: ReplicaLink): QueuedMessage {
    const message = link.messages.shift()!;
    link.messageBytes -= message.chunk.length;
    return message;
  }

  /**
   * What the replica has still to receive, as Redis counts a replica's output buffer: the log
   * written since it attached and not yet sent to it, the messages queued, and what its socket
   * holds. The log before it attached (an older snapshot's tail, a partial resync's catch-up) is
   * not counted, as Redis's buffer starts with the sync.
   */
  pendingBytes(link: ReplicaLink): number {
    const end = this.host.persistence.logEndOffset;
    const from = Math.max(link.sentOffset, link.attachOffset);
    return Math.max(0, end - from) + link.messageBytes + link.client.unsentBytes;
  }

  /** client-output-buffer-limit replica: drop a replica that overcame it (it reconnects and resyncs). */
  private overLimit(link: ReplicaLink, nowMs: number): boolean {
    const limit = this.host.outputLimit();
    if (limit.hardBytes === 0 && limit.softBytes === 0) return false;
    if (!limitReached(limit, this.pendingBytes(link), link, nowMs)) return false;
    this.host.log.warn(
      { replica: link.client.addr, pendingBytes: this.pendingBytes(link) },
      `Client ${link.client.describe()} scheduled to be closed ASAP for overcoming of output buffer limits.`,
    );
    this.drop(link);
    return true;
  }

  /** Send the log from link.sentOffset to what is written, until the socket pushes back. */
  private pump(link: ReplicaLink): void {
    if (link.closed || link.state !== 'online' || link.draining) return;
    const log = this.host.persistence.replicationLog;
    if (log === null) return;
    for (;;) {
      const next = link.messages[0];
      if (next !== undefined && next.offset <= link.sentOffset) {
        this.shiftMessage(link);
        if (!this.send(link, next.chunk)) {
          this.waitForDrain(link);
          return;
        }
        continue;
      }
      // Log bytes up to what is written, and not past the next message's place.
      const end = Math.min(log.writtenOffset, next?.offset ?? Infinity);
      if (link.sentOffset >= end) return;
      if (link.sentOffset < log.logStartOffset) {
        this.host.log.warn({ replica: link.client.addr, offset: link.sentOffset }, 'Replica fell behind the log retained; dropped (it will resync)');
        this.drop(link);
        return;
      }
      let bytes: Buffer;
      try {
        bytes = log.readBytes(link.sentOffset, Math.min(CHUNK_BYTES, end - link.sentOffset));
      } catch (err) {
        // Retention removed the segment meanwhile, or the disk failed: the replica resyncs.
        this.host.log.warn({ replica: link.client.addr, err: (err as Error).message }, 'Could not read the log for a replica; dropped');
        this.drop(link);
        return;
      }
      link.sentOffset += bytes.length;
      if (!this.send(link, dataChunk(bytes))) {
        this.waitForDrain(link);
        return;
      }
    }
  }

  private waitForDrain(link: ReplicaLink): void {
    link.draining = true;
    link.client.onceDrain(() => {
      link.draining = false;
      this.pump(link);
    });
  }

  private send(link: ReplicaLink, bytes: Buffer): boolean {
    link.lastSendMs = Date.now();
    this.stats.outputBytes += bytes.length;
    return link.client.writeRaw(bytes);
  }

  /** REPLCONF ACK <offset> [FACK <aofoffset>]. */
  ack(client: Client, offset: number, aofOffset: number | null): void {
    const link = this.links.get(client);
    if (link === undefined) return;
    if (offset > link.ackOffset) link.ackOffset = offset;
    if (aofOffset !== null && aofOffset > link.aofAckOffset) link.aofAckOffset = aofOffset;
    link.lastAckMs = Date.now();
    this.onAck?.();
  }

  /** Ask every online replica for an ACK now (WAIT). */
  requestAcks(): void {
    for (const link of this.links.values()) if (link.state === 'online' && !link.closed) this.send(link, GETACK);
  }

  /** Once a second: heartbeats to idle replicas, and replicas silent past repl-timeout dropped. */
  cron(nowMs: number): void {
    const timeoutMs = this.host.replTimeoutSec() * 1000;
    for (const link of [...this.links.values()]) {
      if (this.overLimit(link, nowMs)) continue;
      if (link.state !== 'online') continue;
      if (nowMs - link.lastAckMs > timeoutMs) {
        this.host.log.warn({ replica: link.client.addr }, 'Disconnecting timedout replica');
        this.drop(link);
        continue;
      }
      if (nowMs - link.lastSendMs >= 1000 && !link.draining) this.send(link, HEARTBEAT);
    }
  }

  /** The connection closed (or is closed here). */
  forget(client: Client): void {
    const link = this.links.get(client);
    if (link === undefined) return;
    link.closed = true;
    this.links.delete(client);
    this.host.log.info({ replica: client.addr }, 'Connection with replica lost');
  }

  drop(link: ReplicaLink): void {
    this.forget(link.client);
    link.client.closeNow();
  }

  /** Drop every replica (the history changed: they reconnect and learn the new id). */
  dropAll(): void {
    for (const link of [...this.links.values()]) this.drop(link);
  }

  /** The lowest log offset a replica still needs (retention keeps it). */
  private retentionFloor(): number {
    let floor = Infinity;
    for (const link of this.links.values()) if (link.state !== 'wait_bgsave') floor = Math.min(floor, link.sentOffset);
    return floor;
  }

  /** Replicas whose ACK is at least `offset` (WAIT), or whose FACK is (WAITAOF, `aof`). */
  countAcked(offset: number, aof: boolean): number {
    let n = 0;
    for (const link of this.links.values()) {
      if (link.state === 'online' && (aof ? link.aofAckOffset : link.ackOffset) >= offset) n++;
    }
    return n;
  }

  /** Online replicas that acknowledged within `maxLagSec` (min-replicas-to-write). */
  goodReplicas(nowMs: number, maxLagSec: number): number {
    let n = 0;
    for (const link of this.links.values()) {
      if (link.state === 'online' && Math.floor((nowMs - link.lastAckMs) / 1000) <= maxLagSec) n++;
    }
    return n;
  }
}
