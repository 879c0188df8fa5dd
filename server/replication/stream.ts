// The replication stream after the handshake, master to replica. Sluice replicates to Sluice, so
// the stream is its own: the master's log bytes, shipped as they are (the replica writes the same
// records at the same offsets), in chunks that may also carry control messages:
//
//   'D' u32 length, then that many bytes of log (any boundaries: records are reassembled)
//   'H'             heartbeat: the master is alive (sent each second the stream is idle)
//   'G'             GETACK: answer with REPLCONF ACK now (WAIT is waiting)
//   'P' u8 kind, u32 length + channel, u32 length + message
//                   a PUBLISH (kind 0) or SPUBLISH (kind 1) to deliver on the replica, placed
//                   after the records written before it; it is no record (Redis sends PUBLISH
//                   to replicas but not to the AOF), so it takes no offset
//
// The full resync's snapshot comes before the stream, as Redis sends its RDB: "$<length>\r\n" then
// the snapshot file's bytes.

import type { ChannelKind } from '../../commands/types';
import { checkFrame, decodeRecordPayload, type DecodedRecord } from '../../storage/log/frame';

export const CHUNK_DATA = 0x44; // 'D'
export const CHUNK_HEARTBEAT = 0x48; // 'H'
export const CHUNK_GETACK = 0x47; // 'G'
export const CHUNK_PUBLISH = 0x50; // 'P'

export const HEARTBEAT = Buffer.from([CHUNK_HEARTBEAT]);
export const GETACK = Buffer.from([CHUNK_GETACK]);

/** A data chunk around `bytes` of log. */
export function dataChunk(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + bytes.length);
  out[0] = CHUNK_DATA;
  out.writeUInt32BE(bytes.length, 1);
  bytes.copy(out, 5);
  return out;
}

/** A published message chunk. */
export function publishChunk(kind: ChannelKind, channel: string, message: Buffer): Buffer {
  const name = Buffer.from(channel, 'latin1');
  const out = Buffer.allocUnsafe(10 + name.length + message.length);
  out[0] = CHUNK_PUBLISH;
  out[1] = kind === 'shard' ? 1 : 0;
  out.writeUInt32BE(name.length, 2);
  name.copy(out, 6);
  out.writeUInt32BE(message.length, 6 + name.length);
  message.copy(out, 10 + name.length);
  return out;
}

/** One record of the master's log, as received. */
export interface ReceivedRecord {
  /** The payload bytes (a copy the receiver may keep and change). */
  readonly payload: Buffer;
  readonly decoded: DecodedRecord;
  /** Size of the whole frame: the offset advances by this much. */
  readonly frameBytes: number;
}

export interface StreamSink {
  record(record: ReceivedRecord): void;
  getAck(): void;
  /** A message published on the master, after the records that came before it were applied. */
  publish(kind: ChannelKind, channel: string, message: Buffer): void;
  /** Bytes that cannot be a record (a damaged stream): the link must be dropped. */
  damaged(reason: string): void;
}

/** Parses the chunked stream into records and control messages; feed it socket data. */
export class StreamParser {
  private input: Buffer = Buffer.alloc(0);
  /** Log bytes received but not yet a whole record. */
  private log: Buffer = Buffer.alloc(0);
  /** Bytes of log received in total since the parser began (slave_read_repl_offset). */
  logBytesRead = 0;
  private failed = false;

  constructor(private readonly sink: StreamSink) {}

  feed(chunk: Buffer): void {
    if (this.failed) return;
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    let at = 0;
    const logParts: Buffer[] = [];
    while (at < this.input.length) {
      const kind = this.input[at]!;
      if (kind === CHUNK_HEARTBEAT) {
        at++;
        continue;
      }
      if (kind === CHUNK_GETACK) {
        at++;
        this.flushLog(logParts);
        if (this.failed) return;
        this.sink.getAck();
        continue;
      }
      if (kind === CHUNK_PUBLISH) {
        const message = readPublish(this.input, at);
        if (message === null) break;
        at = message.end;
        this.flushLog(logParts);
        if (this.failed) return;
        this.sink.publish(message.kind, message.channel, message.message);
        continue;
      }
      if (kind !== CHUNK_DATA) {
        this.fail(`unknown chunk kind ${kind}`);
        return;
      }
      if (this.input.length - at < 5) break;
      const length = this.input.readUInt32BE(at + 1);
      if (this.input.length - at - 5 < length) break;
      logParts.push(this.input.subarray(at + 5, at + 5 + length));
      this.logBytesRead += length;
      at += 5 + length;
    }
    this.flushLog(logParts);
    this.input = at === this.input.length ? Buffer.alloc(0) : Buffer.from(this.input.subarray(at));
  }

  private flushLog(parts: Buffer[]): void {
    if (parts.length === 0) return;
    const log = Buffer.concat([this.log, ...parts]);
    parts.length = 0;
    let at = 0;
    while (at < log.length) {
      const check = checkFrame(log, at, log.length);
      if (check.kind === 'short') break;
      if (check.kind === 'bad') {
        this.fail(`bad record in the replication stream: ${check.reason}`);
        return;
      }
      const payload = Buffer.from(log.subarray(check.payloadStart, check.payloadStart + check.payloadBytes));
      let decoded: DecodedRecord;
      try {
        decoded = decodeRecordPayload(payload);
      } catch (err) {
        this.fail((err as Error).message);
        return;
      }
      this.sink.record({ payload, decoded, frameBytes: check.frameBytes });
      at += check.frameBytes;
    }
    this.log = at === log.length ? Buffer.alloc(0) : Buffer.from(log.subarray(at));
  }

  /** Bytes of a record begun but not complete (they are not applied yet). */
  get partialBytes(): number {
    return this.log.length;
  }

  private fail(reason: string): void {
    this.failed = true;
    this.sink.damaged(reason);
  }
}


/** A whole 'P' chunk at `at`, or null while it is incomplete. */
function readPublish(input: Buffer, at: number): { kind: ChannelKind; channel: string; message: Buffer; end: number } | null {
  if (input.length - at < 6) return null;
  const kind: ChannelKind = input[at + 1] === 1 ? 'shard' : 'channel';
  const nameLength = input.readUInt32BE(at + 2);
  const messageAt = at + 6 + nameLength;
  if (input.length < messageAt + 4) return null;
  const messageLength = input.readUInt32BE(messageAt);
  const end = messageAt + 4 + messageLength;
  if (input.length < end) return null;
  return {
    kind,
    channel: input.toString('latin1', at + 6, messageAt),
    message: Buffer.from(input.subarray(messageAt + 4, end)),
    end,
  };
}
