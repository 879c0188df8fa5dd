// A whole stream as bytes (snapshots) and back, a deep copy (COPY), and a canonical text of its
// data (state comparisons, storage/dump.ts).
//
// Serialized form, version 1 (all integers LEB128 varints; signed ones zigzag-encoded):
//   'S' 'X' version
//   length, lastId.ms, lastId.seq, firstId.ms/.seq, maxDeletedId.ms/.seq, entriesAdded
//   blockCount, then per block: firstMs, firstSeq, lastMs, lastSeq, live, deleted, lpBase,
//     tailFieldsAt, byteLength, the block's bytes (block.ts layout, kept verbatim)
//   groupCount, then per group: name, lastId.ms/.seq, entriesRead (signed),
//     consumerCount, per consumer: name, seenTimeMs (signed), activeTimeMs (signed),
//     pendingCount, per pending entry in ID order: ms delta, seq part (as in blocks), consumer index
//     (in the order consumers were written), deliveryTimeMs (signed), deliveryCount (signed)
// Version 2 (written only when the stream has idempotency state) adds, after the groups:
//   idmp durationSec, maxSize, iidsAdded, iidsDuplicates, producerCount, per producer: pid,
//     iidCount, per iid (oldest first): iid, entry ms, entry seq
// Version 3 (written only when some group holds entries XNACK released) is version 2 with: a
//   pending entry's consumer index may be consumerCount (the group's unowned owner); after each
//   group's pending entries, releasedCount and the released IDs (ms, seq) in release order; and
//   after the groups a 0/1 byte saying whether the idmp section follows.
// Strings are a varint length and their bytes. Reading checks everything it can: every block is
// walked and must agree with its header, and the counters must agree with the blocks.

import { type Counter, type StreamId, type U64, canon, compareParts, formatId, formatParts, toBig, u64Add, u64Inc, u64Sub } from './id';
import { Block, BlockWalker, FLAG_DELETED, MASTER_FIELDS_AT, latin1Slice, latin1Write, readPos, readVar, setReadPos, varLen, writeVar } from './block';
import { Consumer, ConsumerGroup, PendingEntry } from './group';
import { Idmp } from './idmp';
import { Stream } from './stream';

export const STREAM_CODEC_VERSION = 1;
/** The version of a stream with idempotency state (Redis 8.6's IDMP); version 1 streams read as before. */
export const STREAM_CODEC_VERSION_IDMP = 2;
/** The version of a stream with XNACK-released entries (Redis 8.8); older versions read as before. */
export const STREAM_CODEC_VERSION_NACK = 3;

export class StreamFormatError extends Error {
  override name = 'StreamFormatError';
}

// ---- writing

class Writer {
  buf: Buffer;
  p = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 64));
  }
  room(n: number): void {
    if (this.p + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.p + n) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.p);
    this.buf = grown;
  }
  u(v: U64): void {
    this.room(10);
    this.p = writeVar(this.buf, this.p, v);
  }
  s(v: Counter): void {
    this.u(zigzag(v));
  }
  bytes(b: Uint8Array): void {
    this.u(b.length);
    this.room(b.length);
    this.buf.set(b, this.p);
    this.p += b.length;
  }
  str(x: string): void {
    this.u(x.length);
    this.room(x.length);
    this.p += latin1Write(this.buf, x, this.p);
  }
  id(id: StreamId): void {
    this.u(id.ms);
    this.u(id.seq);
  }
}

function zigzag(v: Counter): U64 {
  if (typeof v === 'number' && Math.abs(v) < 2 ** 51) return v >= 0 ? v * 2 : -v * 2 - 1;
  const b = toBig(v);
  return canon(b >= 0n ? b * 2n : -b * 2n - 1n);
}

function unzigzag(z: U64): Counter {
  if (typeof z === 'number') return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  return canon(z % 2n === 0n ? z / 2n : -(z + 1n) / 2n);
}

/** The whole stream as bytes. */
export function serializeStream(stream: Stream): Buffer {
  let size = 64;
  for (let i = stream.headIndex; i < stream.endIndex; i++) size += stream.blockAt(i)!.end + 40;
  const w = new Writer(size);
  w.room(3);
  w.buf[w.p++] = 0x53;
  w.buf[w.p++] = 0x58;
  const idmp = stream.idmpState !== null && !stream.idmpState.isEmpty ? stream.idmpState : null;
  const withNacks = stream.groupsInOrder().some((g) => g.nacked.size > 0);
  w.buf[w.p++] = withNacks ? STREAM_CODEC_VERSION_NACK : idmp === null ? STREAM_CODEC_VERSION : STREAM_CODEC_VERSION_IDMP;
  w.u(stream.length);
  w.id(stream.lastId);
  w.id(stream.firstId);
  w.id(stream.maxDeletedEntryId);
  w.u(stream.entriesAdded);
  w.u(stream.blockCount);
  for (let i = stream.headIndex; i < stream.endIndex; i++) {
    const b = stream.blockAt(i)!;
    w.u(b.firstMs);
    w.u(b.firstSeq);
    w.u(b.lastMs);
    w.u(b.lastSeq);
    w.u(b.live);
    w.u(b.deleted);
    w.u(b.lpBase);
    w.u(b.tailFieldsAt);
    w.bytes(b.buf.subarray(0, b.end));
  }
  const groups = stream.groupsInOrder();
  w.u(groups.length);
  for (const g of groups) {
    w.str(g.name);
    w.id(g.lastId);
    w.s(g.entriesRead);
    const consumers = g.consumersInOrder();
    const index = new Map<Consumer, number>();
    w.u(consumers.length);
    consumers.forEach((c, i) => {
      index.set(c, i);
      w.str(c.name);
      w.s(c.seenTimeMs);
      w.s(c.activeTimeMs);
    });
    index.set(g.unowned, consumers.length);
    w.u(g.pel.size);
    let prevMs: U64 = 0;
    let prevSeq: U64 = 0;
    let first = true;
    g.pel.forEach((e) => {
      const msDelta = u64Sub(e.ms, prevMs);
      w.u(msDelta);
      w.u(!first && msDelta === 0 ? u64Sub(e.seq, u64Inc(prevSeq)!) : e.seq);
      first = false;
      prevMs = e.ms;
      prevSeq = e.seq;
      w.u(index.get(e.consumer)!);
      w.s(e.deliveryTimeMs);
      w.s(e.deliveryCount);
    });
    if (withNacks) {
      w.u(g.nacked.size);
      for (const e of g.nacked) {
        w.u(e.ms);
        w.u(e.seq);
      }
    }
  }
  if (withNacks) w.u(idmp === null ? 0 : 1);
  if (idmp !== null) writeIdmp(w, idmp);
  return Buffer.from(w.buf.subarray(0, w.p));
}

// ---- reading

class Reader {
  constructor(
    readonly buf: Buffer,
    public p: number,
  ) {}
  need(n: number): void {
    if (this.p + n > this.buf.length) throw new StreamFormatError('stream: truncated');
  }
  u(): U64 {
    // A varint is at most 10 bytes; check before reading so a torn tail cannot read past the end.
    let end = this.p;
    while (end < this.buf.length && this.buf[end]! >= 0x80) end++;
    if (end >= this.buf.length || end - this.p >= 10) throw new StreamFormatError('stream: bad varint');
    setReadPos(this.p);
    const v = readVar(this.buf);
    this.p = readPos();
    if (typeof v === 'bigint' && v > 0xffffffffffffffffn) throw new StreamFormatError('stream: integer out of range');
    return v;
  }
  n(max = 0x7fffffff): number {
    const v = this.u();
    if (typeof v !== 'number' || v > max) throw new StreamFormatError('stream: count out of range');
    return v;
  }
  s(): Counter {
    return unzigzag(this.u());
  }
  time(): number {
    const v = this.s();
    if (typeof v !== 'number') throw new StreamFormatError('stream: time out of range');
    return v;
  }
  bytes(): Buffer {
    const len = this.n();
    this.need(len);
    const out = Buffer.allocUnsafeSlow(len);
    this.buf.copy(out, 0, this.p, this.p + len);
    this.p += len;
    return out;
  }
  str(): string {
    const len = this.n();
    this.need(len);
    const s = latin1Slice(this.buf, this.p, this.p + len);
    this.p += len;
    return s;
  }
  id(): StreamId {
    const ms = this.u();
    return { ms, seq: this.u() };
  }
}

/** A stream from serializeStream's bytes. Throws StreamFormatError on anything inconsistent. */
export function deserializeStream(buf: Buffer): Stream {
  if (buf.length < 3 || buf[0] !== 0x53 || buf[1] !== 0x58) throw new StreamFormatError('stream: bad magic');
  const version = buf[2];
  if (version !== STREAM_CODEC_VERSION && version !== STREAM_CODEC_VERSION_IDMP && version !== STREAM_CODEC_VERSION_NACK) throw new StreamFormatError(`stream: unknown version ${version}`);
  const r = new Reader(buf, 3);
  const length = r.n(Number.MAX_SAFE_INTEGER);
  const lastId = r.id();
  const firstId = r.id();
  const maxDeletedId = r.id();
  const entriesAdded = r.u();
  const blockCount = r.n();
  const blocks: Block[] = [];
  let live = 0;
  let prevFirst: StreamId | null = null;
  for (let i = 0; i < blockCount; i++) {
    const firstMs = r.u();
    const firstSeq = r.u();
    const lastMs = r.u();
    const lastSeq = r.u();
    const bLive = r.n();
    const bDeleted = r.n();
    const lpBase = r.n();
    const tailFieldsAt = r.n();
    const bytes = r.bytes();
    const block = new Block(bytes, bytes.length, firstMs, firstSeq, lastMs, lastSeq, bLive, bDeleted, lpBase, tailFieldsAt);
    if (prevFirst !== null && compareParts(prevFirst.ms, prevFirst.seq, firstMs, firstSeq) >= 0) {
      throw new StreamFormatError('stream: blocks out of order');
    }
    checkBlock(block);
    prevFirst = { ms: firstMs, seq: firstSeq };
    live += bLive;
    blocks.push(block);
  }
  if (live !== length) throw new StreamFormatError(`stream: length ${length} but ${live} live entries`);

  const groupCount = r.n();
  const groups: ConsumerGroup[] = [];
  for (let gi = 0; gi < groupCount; gi++) {
    const group = new ConsumerGroup(r.str(), r.id(), r.s());
    if (groups.some((g) => g.name === group.name)) throw new StreamFormatError('stream: duplicate group name');
    const consumers: Consumer[] = [];
    const consumerCount = r.n();
    for (let ci = 0; ci < consumerCount; ci++) {
      const name = r.str();
      if (group.consumers.has(name)) throw new StreamFormatError('stream: duplicate consumer name');
      const consumer = new Consumer(name, r.time(), r.time());
      consumers.push(consumer);
      group.consumers.set(name, consumer);
    }
    const pending = r.n();
    let prevMs: U64 = 0;
    let prevSeq: U64 = 0;
    for (let i = 0; i < pending; i++) {
      const msDelta = r.u();
      const seqPart = r.u();
      let ms: U64;
      let seq: U64;
      if (i > 0 && msDelta === 0) {
        ms = prevMs;
        seq = u64Add(u64Inc(prevSeq) ?? badId(), seqPart);
      } else {
        ms = u64Add(prevMs, msDelta);
        seq = seqPart;
      }
      if (toBig(ms) > 0xffffffffffffffffn || toBig(seq) > 0xffffffffffffffffn) badId();
      const ownerIndex = r.n();
      const owner = version === STREAM_CODEC_VERSION_NACK && ownerIndex === consumers.length ? group.unowned : consumers[ownerIndex];
      if (owner === undefined) throw new StreamFormatError('stream: pending entry of an unknown consumer');
      const entry = new PendingEntry(ms, seq, owner, r.time(), r.s());
      if (!group.pel.insert(entry)) throw new StreamFormatError('stream: duplicate pending entry');
      owner.pel.insert(entry);
      prevMs = ms;
      prevSeq = seq;
    }
    if (version === STREAM_CODEC_VERSION_NACK) readReleasedOrder(r, group);
    groups.push(group);
  }
  const withIdmp = version === STREAM_CODEC_VERSION_NACK ? r.n() === 1 : version === STREAM_CODEC_VERSION_IDMP;
  const idmp = withIdmp ? readIdmp(r) : null;
  if (r.p !== buf.length) throw new StreamFormatError('stream: trailing bytes');
  return Stream.restore(blocks, length, lastId, firstId, maxDeletedId, entriesAdded, groups, idmp);
}

/** The group's released entries in release order: exactly its unowned entries, each once. */
function readReleasedOrder(r: Reader, group: ConsumerGroup): void {
  const count = r.n();
  if (count !== group.unowned.pel.size) throw new StreamFormatError('stream: released entries disagree with the PEL');
  for (let i = 0; i < count; i++) {
    const entry = group.unowned.pel.get(r.u(), r.u());
    if (entry === undefined || group.nacked.has(entry)) throw new StreamFormatError('stream: bad released entry');
    group.nacked.add(entry);
  }
}

function writeIdmp(w: Writer, idmp: Idmp): void {
  w.u(idmp.durationSec);
  w.u(idmp.maxSize);
  w.u(idmp.iidsAdded);
  w.u(idmp.iidsDuplicates);
  w.u(idmp.producers.size);
  for (const [pid, iids] of idmp.producers) {
    w.str(pid);
    w.u(iids.size);
    for (const [iid, id] of iids) {
      w.str(iid);
      w.id(id);
    }
  }
}

function readIdmp(r: Reader): Idmp {
  const idmp = new Idmp();
  idmp.durationSec = r.n();
  idmp.maxSize = r.n();
  idmp.iidsAdded = r.n(Number.MAX_SAFE_INTEGER);
  idmp.iidsDuplicates = r.n(Number.MAX_SAFE_INTEGER);
  const producers = r.n();
  for (let i = 0; i < producers; i++) {
    const pid = r.str();
    const count = r.n();
    if (count === 0 || idmp.producers.has(pid)) throw new StreamFormatError('stream: bad idempotency producer');
    const iids = new Map<string, StreamId>();
    for (let j = 0; j < count; j++) iids.set(r.str(), r.id());
    idmp.producers.set(pid, iids);
  }
  return idmp;
}

function badId(): never {
  throw new StreamFormatError('stream: pending ID out of range');
}

/** Walk a block and check it against its header: entry count, tombstones, IDs, field lists. */
function checkBlock(block: Block): void {
  const w = new BlockWalker();
  try {
    w.start(block);
    let live = 0;
    let deleted = 0;
    let prevMs: U64 | null = null;
    let prevSeq: U64 = 0;
    let lastMs: U64 | null = null;
    let lastSeq: U64 = 0;
    while (w.next()) {
      if (w.p > block.end) throw new StreamFormatError('stream: entry runs past its block');
      if ((w.flags & ~15) !== 0) throw new StreamFormatError('stream: bad entry flags');
      if ((w.flags & FLAG_DELETED) !== 0) deleted++;
      else {
        // Live entries ascend (tombstones may sit above later entries: see FLAG_ABSOLUTE_ID).
        if (prevMs !== null && compareParts(prevMs, prevSeq, w.ms, w.seq) >= 0) throw new StreamFormatError('stream: entries out of order');
        prevMs = w.ms;
        prevSeq = w.seq;
        live++;
      }
      lastMs = w.ms;
      lastSeq = w.seq;
    }
    if (live !== block.live || deleted !== block.deleted) throw new StreamFormatError('stream: block counts disagree with its entries');
    if (lastMs === null || lastMs !== block.lastMs || lastSeq !== block.lastSeq) throw new StreamFormatError('stream: block last ID disagrees');
    if (block.tailFieldsAt !== MASTER_FIELDS_AT && block.tailFieldsAt >= block.end) throw new StreamFormatError('stream: bad field list offset');
  } catch (err) {
    if (err instanceof StreamFormatError) throw err;
    throw new StreamFormatError(`stream: corrupt block (${(err as Error).message})`);
  }
}

// ---- deep copy

/** An independent copy: blocks, counters, groups, consumers and PELs (COPY). */
export function copyStream(stream: Stream): Stream {
  const blocks: Block[] = [];
  for (let i = stream.headIndex; i < stream.endIndex; i++) {
    const b = stream.blockAt(i)!;
    const buf = Buffer.allocUnsafeSlow(b.end);
    b.buf.copy(buf, 0, 0, b.end);
    blocks.push(new Block(buf, b.end, b.firstMs, b.firstSeq, b.lastMs, b.lastSeq, b.live, b.deleted, b.lpBase, b.tailFieldsAt));
  }
  const groups: ConsumerGroup[] = [];
  for (const g of stream.groupsInOrder()) {
    const copy = new ConsumerGroup(g.name, g.lastId, g.entriesRead);
    const owners = new Map<Consumer, Consumer>();
    for (const c of g.consumers.values()) {
      const cc = new Consumer(c.name, c.seenTimeMs, c.activeTimeMs);
      owners.set(c, cc);
      copy.consumers.set(cc.name, cc);
    }
    owners.set(g.unowned, copy.unowned);
    const copies = new Map<PendingEntry, PendingEntry>();
    g.pel.forEach((e) => {
      const owner = owners.get(e.consumer)!;
      const entry = new PendingEntry(e.ms, e.seq, owner, e.deliveryTimeMs, e.deliveryCount);
      copy.pel.insert(entry);
      owner.pel.insert(entry);
      copies.set(e, entry);
    });
    for (const e of g.nacked) copy.nacked.add(copies.get(e)!);
    groups.push(copy);
  }
  return Stream.restore(blocks, stream.length, stream.lastId, stream.firstId, stream.maxDeletedEntryId, stream.entriesAdded, groups, stream.idmpState?.copy() ?? null);
}

// ---- canonical text

/**
 * The stream's data as stable text: counters, live entries (names and values in hex), groups with
 * their consumers and PELs. Block layout is left out: two streams with equal text are equal to
 * every command that reads data.
 */
export function canonicalStream(stream: Stream): string {
  const out: string[] = [
    `length=${stream.length} last=${formatId(stream.lastId)} first=${formatId(stream.firstId)} ` +
      `maxdeleted=${formatId(stream.maxDeletedEntryId)} added=${stream.entriesAdded}`,
  ];
  const it = stream.iterate({ ms: 0, seq: 0 }, { ms: 0xffffffffffffffffn, seq: 0xffffffffffffffffn });
  while (it.next()) {
    const parts: string[] = [];
    for (let i = 0; i < it.fieldCount; i++) {
      parts.push(it.buf.toString('hex', it.fieldStart(i), it.fieldEnd(i)), it.buf.toString('hex', it.valueStart(i), it.valueEnd(i)));
    }
    out.push(`entry ${formatParts(it.ms, it.seq)} ${parts.join(' ')}`);
  }
  for (const g of stream.groupsInOrder()) {
    out.push(`group ${hex(g.name)} last=${formatId(g.lastId)} read=${g.entriesRead}`);
    for (const c of g.consumersInOrder()) {
      out.push(`consumer ${hex(c.name)} seen=${c.seenTimeMs} active=${c.activeTimeMs} pending=${c.pel.size}`);
    }
    g.pel.forEach((e) => {
      out.push(`pending ${formatParts(e.ms, e.seq)} ${hex(e.consumer.name)} time=${e.deliveryTimeMs} count=${e.deliveryCount}`);
    });
    if (g.nacked.size > 0) out.push(`released ${[...g.nacked].map((e) => formatParts(e.ms, e.seq)).join(' ')}`);
  }
  const idmp = stream.idmpState;
  if (idmp !== null && !idmp.isEmpty) {
    out.push(`idmp duration=${idmp.durationSec} maxsize=${idmp.maxSize} added=${idmp.iidsAdded} duplicates=${idmp.iidsDuplicates}`);
    for (const [pid, iids] of idmp.producers) {
      for (const [iid, id] of iids) out.push(`iid ${hex(pid)} ${hex(iid)} ${formatId(id)}`);
    }
  }
  return out.join('\n');
}

function hex(s: string): string {
  return Buffer.from(s, 'latin1').toString('hex');
}

/** Bytes a varint takes (exported for size estimates). */
export { varLen };
