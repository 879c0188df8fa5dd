// A block: up to a node's worth of stream entries packed in one Buffer (Redis's listpack node, in a
// tighter encoding of our own). Entries are only appended; deletion flags an entry in place (a
// tombstone, as Redis does) and the stream drops a block once nothing live is left in it (XDEL) or
// when a trim removes it whole.
//
// Entry layout, entries back to back from offset 0:
//   flags      u8      bit 0 deleted, bit 1 fields = the master's, bit 2 fields = the previous entry's,
//                      bit 3 absolute ID (see FLAG_ABSOLUTE_ID)
//   msDelta    varint  ms - previous entry's ms (0 for the first entry; ms itself when absolute)
//   seqPart    varint  first entry: 0; same ms as previous: seq - prevSeq - 1; else (or absolute): seq
//   [fields]           only when neither "same" bit is set: count varint, then per field len varint + bytes
//   values             per field: len varint + bytes
// The first entry always carries its field names: that list, at offset 3, is the block's master
// field list (Redis's master entry). Varints are LEB128, exact to 2^64 - 1 (bigints above 2^53).
//
// A block also keeps what Redis's listpack for the same node would weigh (lpBytes), so that blocks
// split exactly where Redis's nodes do (see listpack-size.ts).

import { type U64, canon, compareParts, int64Diff, u64Add, u64Inc, u64Sub } from './id';
import { LP_HEADER_AND_END, lpIntBytes, lpStringBytes } from './listpack-size';

export const FLAG_DELETED = 1;
export const FLAG_SAME_MASTER = 2;
export const FLAG_SAME_PREV = 4;
/**
 * The ID is stored whole (ms, seq) rather than as a delta: only for an entry whose ID is not above
 * the block's last one, which Redis allows after XSETID moved the last ID back below entries
 * tombstoned by a trim (they stay in the block, and Redis appends after them).
 */
export const FLAG_ABSOLUTE_ID = 8;
/** Offset of the master field list: flags byte, two zero varints, then the list. */
export const MASTER_FIELDS_AT = 3;

/** Node's fast latin1 codecs (long-standing Buffer methods that @types/node does not declare). */
interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number): number;
}

/** Bytes [start, end) of buf as a latin1 string (one char per byte). */
export function latin1Slice(buf: Uint8Array, start: number, end: number): string {
  return (buf as unknown as Latin1Buffer).latin1Slice(start, end);
}

/** Write a latin1 string's bytes at offset; returns the number written. */
export function latin1Write(buf: Uint8Array, text: string, offset: number): number {
  return (buf as unknown as Latin1Buffer).latin1Write(text, offset);
}

/** A field name or value: latin1 string (one char per byte) or raw bytes. */
export type Bytes = string | Uint8Array;

export class Block {
  /** Packed entries; bytes [0, end) are meaningful, the rest is room to append into. */
  buf: Buffer;
  /** Bytes used in buf. */
  end: number;
  /** ID of the block's first entry (its master ID); fixed for the block's life, deleted or not. */
  readonly firstMs: U64;
  readonly firstSeq: U64;
  /** ID of the block's last entry, deleted or not (Redis's lpGetEdgeStreamID(last)). */
  lastMs: U64;
  lastSeq: U64;
  /** Entries not deleted (Redis's master "count"). */
  live: number;
  /** Entries flagged deleted (Redis's master "deleted"); live + deleted = entries ever written here. */
  deleted: number;
  /** Redis's lpBytes for this node, minus the count/deleted elements (which change size with their values). */
  lpBase: number;
  /** Offset of the field list the last entry uses (appends compare against it for FLAG_SAME_PREV). */
  tailFieldsAt: number;

  constructor(
    buf: Buffer,
    end: number,
    firstMs: U64,
    firstSeq: U64,
    lastMs: U64,
    lastSeq: U64,
    live: number,
    deleted: number,
    lpBase: number,
    tailFieldsAt: number,
  ) {
    this.buf = buf;
    this.end = end;
    this.firstMs = firstMs;
    this.firstSeq = firstSeq;
    this.lastMs = lastMs;
    this.lastSeq = lastSeq;
    this.live = live;
    this.deleted = deleted;
    this.lpBase = lpBase;
    this.tailFieldsAt = tailFieldsAt;
  }

  /** Redis's lpBytes of the node this block stands for. */
  get lpBytes(): number {
    return this.lpBase + lpIntBytes(this.live) + lpIntBytes(this.deleted);
  }

  /** Entries written here, deleted or not. */
  get written(): number {
    return this.live + this.deleted;
  }

  /**
   * A new block holding one entry, which becomes its master. Its buffer is sized for `expected`
   * entries like this one (names written once), so a block usually fills without growing and is
   * sealed without a copy.
   */
  static create(ms: U64, seq: U64, fields: readonly Bytes[], expected: number): Block {
    const n = fields.length >> 1;
    let size = 3 + varLen(n);
    let names = 0;
    let masterNames = 0;
    let entryLp = lpIntBytes(2) + lpIntBytes(0) + lpIntBytes(0) + lpIntBytes(n + 3);
    for (let i = 0; i < fields.length; i += 2) {
      const f = fields[i]!;
      const v = fields[i + 1]!;
      names += varLen(f.length) + f.length;
      size += varLen(v.length) + v.length;
      masterNames += lpStringBytes(f);
      entryLp += lpStringBytes(v);
    }
    const valuesSize = size;
    size += names;
    // Later entries: flags, two small varints, values; a little headroom for longer values.
    const estimate = names + Math.ceil((valuesSize + 2) * expected * 1.0625);
    const buf = Buffer.allocUnsafeSlow(Math.max(size, Math.min(estimate, BLOCK_PREALLOC_MAX)));
    buf[0] = 0;
    buf[1] = 0;
    buf[2] = 0;
    let p = writeVar(buf, 3, n);
    for (let i = 0; i < fields.length; i += 2) p = writeBytes(buf, p, fields[i]!);
    for (let i = 1; i < fields.length; i += 2) p = writeBytes(buf, p, fields[i]!);
    // Master entry: count and deleted (added by the lpBytes getter), num-fields, names, 0 terminator.
    const lpBase = LP_HEADER_AND_END + lpIntBytes(n) + masterNames + lpIntBytes(0) + entryLp;
    return new Block(buf, p, ms, seq, ms, seq, 1, 0, lpBase, MASTER_FIELDS_AT);
  }

  /**
   * Whether Redis would put an entry with these fields (totalBytes: sum of field and value lengths)
   * in a new node rather than this one (streamAppendItem).
   */
  full(totalBytes: number, nodeMaxBytes: number, nodeMaxEntries: number): boolean {
    const maxBytes = nodeMaxBytes === 0 || nodeMaxBytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : nodeMaxBytes;
    if (this.lpBytes + totalBytes >= maxBytes) return true;
    return nodeMaxEntries !== 0 && this.written >= nodeMaxEntries;
  }

  /** Append an entry whose ID is greater than every ID here. */
  append(ms: U64, seq: U64, fields: readonly Bytes[]): void {
    const n = fields.length >> 1;
    const buf0 = this.buf;
    let flags = 0;
    if (fieldsMatch(buf0, MASTER_FIELDS_AT, fields)) flags = FLAG_SAME_MASTER;
    else if (this.tailFieldsAt !== MASTER_FIELDS_AT && fieldsMatch(buf0, this.tailFieldsAt, fields)) flags = FLAG_SAME_PREV;

    let msDelta: U64;
    let seqPart: U64;
    if (compareParts(ms, seq, this.lastMs, this.lastSeq) > 0) {
      msDelta = u64Sub(ms, this.lastMs);
      seqPart = msDelta === 0 ? u64Sub(seq, u64Inc(this.lastSeq)!) : seq;
    } else {
      flags |= FLAG_ABSOLUTE_ID;
      msDelta = ms;
      seqPart = seq;
    }
    let size = 1 + varLen(msDelta) + varLen(seqPart);
    const explicit = (flags & (FLAG_SAME_MASTER | FLAG_SAME_PREV)) === 0;
    if (explicit) {
      size += varLen(n);
      for (let i = 0; i < fields.length; i += 2) size += varLen(fields[i]!.length) + fields[i]!.length;
    }
    for (let i = 1; i < fields.length; i += 2) size += varLen(fields[i]!.length) + fields[i]!.length;
    this.reserve(size);
    const buf = this.buf;
    let p = this.end;
    buf[p++] = flags;
    p = writeVar(buf, p, msDelta);
    p = writeVar(buf, p, seqPart);
    if (explicit) {
      this.tailFieldsAt = p;
      p = writeVar(buf, p, n);
      for (let i = 0; i < fields.length; i += 2) p = writeBytes(buf, p, fields[i]!);
    } else if ((flags & FLAG_SAME_MASTER) !== 0) {
      this.tailFieldsAt = MASTER_FIELDS_AT;
    }
    for (let i = 1; i < fields.length; i += 2) p = writeBytes(buf, p, fields[i]!);
    this.end = p;

    // What the same entry adds to Redis's listpack: flags, ms-diff, seq-diff against the master
    // ID, [num-fields, names] unless SAMEFIELDS, values, lp-count.
    const sameForRedis = (flags & FLAG_SAME_MASTER) !== 0;
    let lp = lpIntBytes(sameForRedis ? 2 : 0) + lpIntBytes(int64Diff(ms, this.firstMs)) + lpIntBytes(int64Diff(seq, this.firstSeq));
    let lpCount = n + 3;
    if (!sameForRedis) {
      lp += lpIntBytes(n);
      for (let i = 0; i < fields.length; i += 2) lp += lpStringBytes(fields[i]!);
      lpCount += n + 1;
    }
    for (let i = 1; i < fields.length; i += 2) lp += lpStringBytes(fields[i]!);
    lp += lpIntBytes(lpCount);
    this.lpBase += lp;

    this.lastMs = ms;
    this.lastSeq = seq;
    this.live++;
  }

  /** Give back unused room (the block will not be appended to again), unless there is little. */
  seal(): void {
    if (this.buf.length - this.end <= Math.max(32, this.buf.length >> 4)) return;
    const exact = Buffer.allocUnsafeSlow(this.end);
    this.buf.copy(exact, 0, 0, this.end);
    this.buf = exact;
  }

  private reserve(extra: number): void {
    const need = this.end + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafeSlow(size);
    this.buf.copy(grown, 0, 0, this.end);
    this.buf = grown;
  }
}

/** The most a new block reserves up front (it grows by doubling past that). */
const BLOCK_PREALLOC_MAX = 16384;

/** Redis never lets a listpack grow past 1 GiB (STREAM_LISTPACK_MAX_SIZE). */
export const LISTPACK_MAX_SIZE = 1 << 30;

// ---- decoding: one entry at a time, results in module state (no allocation per entry)

/**
 * A BlockWalker's state saved between entries (see BlockWalker.saveTo): entries are delta-encoded,
 * so reaching the middle of a block otherwise means decoding it from the start. Stays valid for as
 * long as `block` does: a block's bytes are only appended to or flagged deleted. Every live entry
 * before `p` is below the bound (boundMs, boundSeq), or equal to it when `boundInclusive`.
 */
export class ResumePoint {
  block: Block | null = null;
  p = 0;
  k = 0;
  /** The walker's previous entry (the base of the next delta). */
  ms: U64 = 0;
  seq: U64 = 0;
  fieldsAt = MASTER_FIELDS_AT;
  fieldCount = 0;
  masterCount = 0;
  boundMs: U64 = 0;
  boundSeq: U64 = 0;
  boundInclusive = true;

  /** Whether a walk of `block` for entries from (ms, seq) on may start here. */
  serves(block: Block, ms: U64, seq: U64): boolean {
    if (this.block !== block) return false;
    const c = compareParts(this.boundMs, this.boundSeq, ms, seq);
    return this.boundInclusive ? c < 0 : c <= 0;
  }
}

export class BlockWalker {
  block: Block | null = null;
  buf: Buffer = EMPTY;
  /** Offset of the next entry to decode. */
  p = 0;
  /** Index of the next entry to decode. */
  k = 0;
  at = 0;
  flags = 0;
  ms: U64 = 0;
  seq: U64 = 0;
  fieldsAt = MASTER_FIELDS_AT;
  fieldCount = 0;
  valuesAt = 0;
  private masterCount = 0;

  start(block: Block): void {
    this.block = block;
    this.buf = block.buf;
    this.p = 0;
    this.k = 0;
    this.ms = block.firstMs;
    this.seq = block.firstSeq;
    rp = MASTER_FIELDS_AT;
    this.masterCount = readVar(block.buf) as number;
    this.fieldsAt = MASTER_FIELDS_AT;
    this.fieldCount = this.masterCount;
  }

  /** Remember where the walker stands, with the bound its live entries so far respect (see ResumePoint). */
  saveTo(point: ResumePoint, boundMs: U64, boundSeq: U64, boundInclusive: boolean): void {
    point.block = this.block;
    point.p = this.p;
    point.k = this.k;
    point.ms = this.ms;
    point.seq = this.seq;
    point.fieldsAt = this.fieldsAt;
    point.fieldCount = this.fieldCount;
    point.masterCount = this.masterCount;
    point.boundMs = boundMs;
    point.boundSeq = boundSeq;
    point.boundInclusive = boundInclusive;
  }

  /** Stand where saveTo left a walker on the same block: the next next() decodes the entry after. */
  resumeFrom(point: ResumePoint): void {
    const block = point.block!;
    this.block = block;
    this.buf = block.buf;
    this.p = point.p;
    this.k = point.k;
    this.ms = point.ms;
    this.seq = point.seq;
    this.fieldsAt = point.fieldsAt;
    this.fieldCount = point.fieldCount;
    this.masterCount = point.masterCount;
  }

  /** Decode the next entry (deleted ones included); false at the block's end. */
  next(): boolean {
    const block = this.block!;
    if (this.p >= block.end) return false;
    const buf = this.buf;
    this.at = this.p;
    rp = this.p;
    const flags = buf[rp++]!;
    const d1 = readVar(buf);
    const d2 = readVar(buf);
    if ((flags & FLAG_ABSOLUTE_ID) !== 0) {
      this.ms = d1;
      this.seq = d2;
    } else if (this.k !== 0) {
      if (d1 === 0) {
        const s = this.seq;
        this.seq = typeof s === 'number' && typeof d2 === 'number' && s + d2 < 9007199254740990 ? s + 1 + d2 : u64Add(u64Inc(s)!, d2);
      } else {
        this.ms = u64Add(this.ms, d1);
        this.seq = d2;
      }
    }
    this.flags = flags;
    if ((flags & FLAG_SAME_MASTER) !== 0) {
      this.fieldsAt = MASTER_FIELDS_AT;
      this.fieldCount = this.masterCount;
    } else if ((flags & FLAG_SAME_PREV) === 0) {
      this.fieldsAt = rp;
      const n = readVar(buf) as number;
      this.fieldCount = n;
      for (let i = 0; i < n; i++) {
        const len = readVar(buf) as number;
        rp += len;
      }
    }
    this.valuesAt = rp;
    for (let i = 0, n = this.fieldCount; i < n; i++) {
      const len = readVar(buf) as number;
      rp += len;
    }
    this.p = rp;
    this.k++;
    return true;
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Fill `out` with [nameStart, nameEnd, valueStart, valueEnd] per field of an entry whose field
 * list is at `fieldsAt` and values at `valuesAt`; returns `out` (grown when too small).
 */
export function entryPositions(buf: Buffer, fieldsAt: number, valuesAt: number, fieldCount: number, out: Int32Array): Int32Array {
  if (out.length < fieldCount * 4) out = new Int32Array(Math.max(fieldCount * 4, out.length * 2));
  rp = fieldsAt;
  readVar(buf);
  for (let i = 0; i < fieldCount; i++) {
    const len = readVar(buf) as number;
    out[i * 4] = rp;
    out[i * 4 + 1] = rp + len;
    rp += len;
  }
  rp = valuesAt;
  for (let i = 0; i < fieldCount; i++) {
    const len = readVar(buf) as number;
    out[i * 4 + 2] = rp;
    out[i * 4 + 3] = rp + len;
    rp += len;
  }
  return out;
}

// ---- varints

/** Read position of readVar (module state: decoding allocates nothing). */
let rp = 0;

/** LEB128 at `rp`, advancing it; numbers up to 2^53 - 1, canonical bigints above. */
export function readVar(buf: Uint8Array): U64 {
  let b = buf[rp++]!;
  if (b < 0x80) return b;
  let v = b & 0x7f;
  let mul = 128;
  for (let i = 1; i < 7; i++) {
    b = buf[rp++]!;
    v += (b & 0x7f) * mul;
    if (b < 0x80) return v;
    mul *= 128;
  }
  let big = BigInt(v);
  for (let shift = 49n; shift <= 63n; shift += 7n) {
    b = buf[rp++]!;
    if (b === undefined) break;
    big |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return canon(big);
  }
  // Only damaged bytes get here (a 64-bit value takes at most 10 bytes): codec.ts reports it.
  throw new RangeError('stream block: varint too long or cut short');
}

export function readPos(): number {
  return rp;
}

export function setReadPos(p: number): void {
  rp = p;
}

export function varLen(v: U64): number {
  if (typeof v === 'number') {
    if (v < 0x80) return 1;
    if (v < 0x4000) return 2;
    if (v < 0x200000) return 3;
    if (v < 0x10000000) return 4;
    let n = 4;
    let x = Math.floor(v / 0x10000000);
    while (x > 0) {
      n++;
      x = Math.floor(x / 128);
    }
    return n;
  }
  let n = 1;
  let x = v >> 7n;
  while (x > 0n) {
    n++;
    x >>= 7n;
  }
  return n;
}

export function writeVar(buf: Uint8Array, p: number, v: U64): number {
  if (typeof v === 'number') {
    while (v >= 0x80) {
      buf[p++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    buf[p++] = v;
    return p;
  }
  while (v >= 0x80n) {
    buf[p++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  buf[p++] = Number(v);
  return p;
}

/** Length-prefixed bytes. */
export function writeBytes(buf: Buffer, p: number, x: Bytes): number {
  p = writeVar(buf, p, x.length);
  if (typeof x === 'string') return p + latin1Write(buf, x, p);
  buf.set(x, p);
  return p + x.length;
}

/** Whether the field list at `listAt` holds exactly the names fields[0], fields[2], ... */
export function fieldsMatch(buf: Buffer, listAt: number, fields: readonly Bytes[]): boolean {
  rp = listAt;
  const n = readVar(buf) as number;
  if (n * 2 !== fields.length) return false;
  for (let i = 0; i < fields.length; i += 2) {
    const len = readVar(buf) as number;
    const f = fields[i]!;
    if (f.length !== len) return false;
    const at = rp;
    if (typeof f === 'string') {
      for (let j = 0; j < len; j++) if (buf[at + j] !== f.charCodeAt(j)) return false;
    } else {
      for (let j = 0; j < len; j++) if (buf[at + j] !== f[j]) return false;
    }
    rp = at + len;
  }
  return true;
}
