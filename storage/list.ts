// A Redis list, stored the way Redis 7.2 stores it: a sequence of packed chunks, each one a Buffer
// holding its elements back to back, mirroring the nodes of Redis's quicklist one for one.
//
// Why Buffers: a chunk of 10-byte elements costs 12 bytes per element (a one-byte length before and
// after each element, so both ends can be walked), as a listpack does, where a JS string per element
// costs about 40 (measured: 1M 10-byte elements take 12.4 MB as Buffer chunks, 12.4 MB as latin1
// string chunks, 42.6 MB as an array of strings; Redis 7.0 takes 12.1 MB). Between the two packed
// forms, Buffers win on writes (1M pushes: 172 ms against 654 ms, since a string chunk must be
// copied or left as a deep rope on every push) and lose on reads (decoding 1M elements to strings:
// 80 ms against 12 ms); reads can avoid the decoding altogether through visitRange, which hands
// out the bytes in place.
//
// Why mirror Redis's nodes: OBJECT ENCODING answers "listpack" or "quicklist" by rules that look at
// the nodes (a quicklist goes back to a listpack only when it is down to one node of at most 4 KiB),
// so the chunks are split, filled and merged exactly where Redis splits, fills and merges its nodes,
// and each chunk keeps the byte size its listpack would have (`sz`). A list in "listpack" encoding
// is one chunk, whatever its size, as Redis's listpack is one allocation.
//
// Elements are latin1 JS strings (one char per byte), as everywhere in the keyspace. Operations
// follow Redis's t_list.c and quicklist.c, including when the encoding changes; `fill` parameters
// are the server's list-max-listpack-size at the time of the operation (Redis reads its global
// there), defaulting to Redis's default.

import { isIntegerString } from './encoding';

/** list-max-listpack-size's default: -2, at most 8 KiB of listpack per node. */
export const LIST_FILL_DEFAULT = -2;

/** Which end of a list: Redis's LEFT (head, LPUSH/LPOP) and RIGHT (tail, RPUSH/RPOP). */
export type ListEnd = 'left' | 'right';

/** What OBJECT ENCODING reports for a list. */
export type ListEncoding = 'listpack' | 'quicklist';

/** LPOS options, already validated by the command (rank != 0, count >= 0, maxlen >= 0). */
export interface ListPosOptions {
  /** The first match to report: 1 = first from the head, -1 = first from the tail. Default 1. */
  readonly rank?: number;
  /** How many matches to report; 0 = all; undefined = COUNT not given (at most one). */
  readonly count?: number;
  /** Compare at most this many elements; 0 = no limit. Default 0. */
  readonly maxlen?: number;
}

/** The version byte of serialize(); deserialize refuses any other. */
export const LIST_SERIAL_VERSION = 1;

// ---- Redis's node limits (quicklist.c)

/** Largest listpack of a node holding several elements when the fill counts elements. */
const SIZE_SAFETY_LIMIT = 8192;
/** Redis's estimate of a listpack entry's overhead when deciding whether an element fits a node. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** Node size limits for fill -1..-5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536] as const;
/** Elements this large always get a node of their own (Redis's packed_threshold, 1 GiB). */
const PACKED_THRESHOLD = 1 << 30;
/** Bytes of an empty listpack: a 6-byte header and the end byte. */
const LP_EMPTY_BYTES = 7;

function sizeLimitOf(fill: number): number {
  return OPTIMIZATION_LEVEL[Math.min(-fill - 1, OPTIMIZATION_LEVEL.length - 1)]!;
}

/** Redis's quicklistNodeExceedsLimit: would a node of `newSz` listpack bytes and `newCount` elements be too big? */
function exceedsLimit(fill: number, newSz: number, newCount: number): boolean {
  if (fill < 0) return newSz > sizeLimitOf(fill);
  if (newSz > SIZE_SAFETY_LIMIT) return true;
  return newCount > (fill === 0 ? 1 : fill);
}

/** Redis's isLargeElement: an element of `sz` bytes goes into a node of its own ("plain"). */
function isLargeElement(sz: number, fill: number): boolean {
  if (sz >= PACKED_THRESHOLD) return true;
  return fill >= 0 ? sz > SIZE_SAFETY_LIMIT : sz > sizeLimitOf(fill);
}

// ---- listpack entry sizes (listpack.c), to keep each chunk's Redis size

function lpIntSize(v: number): number {
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

function lpBacklenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

function lpStringEntrySize(n: number): number {
  const l = (n < 64 ? 1 : n < 4096 ? 2 : 5) + n;
  return l + lpBacklenSize(l);
}

/**
 * Bytes the element takes in a Redis listpack: strings that read as 64-bit integers (string2ll's
 * rules) are stored as integers of 1 to 9 bytes, others as a length header and the bytes; then
 * the entry's length backwards.
 */
export function listpackEntrySize(element: string): number {
  const n = element.length;
  if (n <= 20 && n > 0) {
    const c = element.charCodeAt(0);
    if ((c === 0x2d || (c >= 0x30 && c <= 0x39)) && isIntegerString(element)) return lpIntSize(Number(element)) + 1;
  }
  return lpStringEntrySize(n);
}

/** listpackEntrySize of the n bytes at buf[at..]. */
function listpackEntrySizeAt(buf: Chunk['buf'], at: number, n: number): number {
  if (n <= 20 && n > 0) {
    const c = buf[at]!;
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return listpackEntrySize(buf.latin1Slice(at, at + n));
  }
  return lpStringEntrySize(n);
}

// ---- the chunk layout: each element is varint(n) bytes[n] varint(n) reversed

/** Node's fast latin1 codecs, present on every Buffer though not in the typings. */
type Latin1Buffer = Buffer & {
  latin1Slice(start: number, end: number): string;
  latin1Write(value: string, offset: number, length?: number): number;
};

function allocate(bytes: number): Latin1Buffer {
  // Each chunk owns its memory: a slice of Node's shared pool would keep the whole pool alive.
  return Buffer.allocUnsafeSlow(bytes) as Latin1Buffer;
}

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** Bytes an element of n bytes takes in a chunk. */
function entrySpan(n: number): number {
  return n + 2 * varintSize(n);
}

/** The element length stored at `at` (the front varint). */
function lengthAt(buf: Latin1Buffer, at: number): number {
  const b = buf[at]!;
  if (b < 0x80) return b;
  let n = b & 0x7f;
  let scale = 0x80;
  for (let i = at + 1; ; i++) {
    const next = buf[i]!;
    n += (next & 0x7f) * scale;
    if (next < 0x80) return n;
    scale *= 0x80;
  }
}

/** The element length stored just before `end` (the reversed varint closing an entry). */
function lengthBefore(buf: Latin1Buffer, end: number): number {
  const b = buf[end - 1]!;
  if (b < 0x80) return b;
  let n = b & 0x7f;
  let scale = 0x80;
  for (let i = end - 2; ; i--) {
    const next = buf[i]!;
    n += (next & 0x7f) * scale;
    if (next < 0x80) return n;
    scale *= 0x80;
  }
}

/** Write an element at `at`; returns the offset just past it. */
function writeEntry(buf: Latin1Buffer, at: number, element: string): number {
  const n = element.length;
  if (n < 0x80) {
    buf[at] = n;
    if (n > 0) buf.latin1Write(element, at + 1, n);
    buf[at + 1 + n] = n;
    return at + n + 2;
  }
  const k = varintSize(n);
  let v = n;
  for (let i = 0; i < k; i++) {
    const low = v & 0x7f;
    v = Math.floor(v / 0x80);
    buf[at + i] = i < k - 1 ? low | 0x80 : low;
  }
  buf.latin1Write(element, at + k, n);
  const tail = at + k + n;
  for (let i = 0; i < k; i++) buf[tail + k - 1 - i] = buf[at + i]!;
  return tail + k;
}

/** Whether the element stored at `at` (length n, its bytes from at + varintSize(n)) equals `target`. */
function equalsAt(buf: Latin1Buffer, at: number, n: number, target: string, targetBytes: Buffer | null): boolean {
  if (n !== target.length) return false;
  const from = at + varintSize(n);
  if (targetBytes !== null) return buf.compare(targetBytes, 0, n, from, from + n) === 0;
  for (let i = 0; i < n; i++) if (buf[from + i] !== target.charCodeAt(i)) return false;
  return true;
}

/** Long targets compare faster as bytes. */
function targetBytesOf(target: string): Buffer | null {
  return target.length >= 64 ? Buffer.from(target, 'latin1') : null;
}

/** Smallest capacity given to a chunk. */
const CHUNK_MIN_BYTES = 32;

/**
 * One node: its elements occupy buf[start, end), free space may lie on both sides. A chunk with no
 * elements never stays in a list.
 */
class Chunk {
  constructor(
    /** The bytes; its length is the capacity. */
    public buf: Latin1Buffer,
    /** Offset of the first element's first byte. */
    public start: number,
    /** Offset just past the last element. */
    public end: number,
    /** Number of elements; equals what walking [start, end) finds. */
    public count: number,
    /** Redis's node->sz: the bytes of this node's listpack (7 + its entries), or a plain node's element length. */
    public sz: number,
    /** A node holding one large element on its own (QUICKLIST_NODE_CONTAINER_PLAIN): nothing joins it. */
    public plain: boolean,
  ) {}

  static of(element: string, plain: boolean, gapAtFront: boolean): Chunk {
    const span = entrySpan(element.length);
    const capacity = plain ? span : Math.max(CHUNK_MIN_BYTES, span * 2);
    const buf = allocate(capacity);
    const start = gapAtFront ? capacity - span : 0;
    writeEntry(buf, start, element);
    const sz = plain ? element.length : LP_EMPTY_BYTES + listpackEntrySize(element);
    return new Chunk(buf, start, start + span, 1, sz, plain);
  }

  /** A packed chunk holding a copy of src[from, to) with `count` elements and listpack size `sz`. */
  static fromBytes(src: Latin1Buffer, from: number, to: number, count: number, sz: number): Chunk {
    const buf = allocate(Math.max(CHUNK_MIN_BYTES, to - from));
    src.copy(buf, 0, from, to);
    return new Chunk(buf, 0, to - from, count, sz, false);
  }

  get used(): number {
    return this.end - this.start;
  }

  clone(): Chunk {
    const buf = allocate(Math.max(this.plain ? 0 : CHUNK_MIN_BYTES, this.used));
    this.buf.copy(buf, 0, this.start, this.end);
    return new Chunk(buf, 0, this.used, this.count, this.sz, this.plain);
  }

  /** Offset of the element at `offset` (0-based within the chunk), walking from the nearer end. */
  offsetOf(offset: number): number {
    const buf = this.buf;
    if (offset <= this.count >> 1) {
      let at = this.start;
      for (let i = 0; i < offset; i++) at += entrySpan(lengthAt(buf, at));
      return at;
    }
    let at = this.end;
    for (let i = this.count; i > offset; i--) at -= entrySpan(lengthBefore(buf, at));
    return at;
  }

  elementAt(at: number): string {
    const n = lengthAt(this.buf, at);
    const from = at + varintSize(n);
    return this.buf.latin1Slice(from, from + n);
  }

  // ---- room

  /** Make `need` free bytes right after `end`. */
  private roomAtBack(need: number): void {
    if (this.buf.length - this.end >= need) return;
    const used = this.used;
    const free = this.buf.length - used;
    if (free >= need + (this.buf.length >> 2)) {
      // Enough room overall: move the elements so the free space is shared between both ends.
      const start = (free - need) >> 1;
      this.buf.copyWithin(start, this.start, this.end);
      this.start = start;
      this.end = start + used;
      return;
    }
    const capacity = Math.max(CHUNK_MIN_BYTES, used + need + (used >> 1));
    const buf = allocate(capacity);
    this.buf.copy(buf, 0, this.start, this.end);
    this.buf = buf;
    this.start = 0;
    this.end = used;
  }

  /** Make `need` free bytes right before `start`. */
  private roomAtFront(need: number): void {
    if (this.start >= need) return;
    const used = this.used;
    const capacity0 = this.buf.length;
    const free = capacity0 - used;
    if (free >= need + (capacity0 >> 2)) {
      const start = need + ((free - need) >> 1);
      this.buf.copyWithin(start, this.start, this.end);
      this.start = start;
      this.end = start + used;
      return;
    }
    const capacity = Math.max(CHUNK_MIN_BYTES, used + need + (used >> 1));
    const buf = allocate(capacity);
    const start = capacity - used;
    this.buf.copy(buf, start, this.start, this.end);
    this.buf = buf;
    this.start = start;
    this.end = capacity;
  }

  /**
   * Give back spare capacity: done when the chunk shrank a lot, or (`sealed`) when it is full and
   * will not grow again, which most chunks of a long list are: then every spare byte goes.
   */
  fit(sealed = false): void {
    const used = this.used;
    const capacity = this.buf.length;
    if (capacity - used <= (sealed ? 0 : Math.max(64, capacity >> 3))) return;
    const buf = allocate(Math.max(this.plain ? used : CHUNK_MIN_BYTES, used));
    this.buf.copy(buf, 0, this.start, this.end);
    this.buf = buf;
    this.start = 0;
    this.end = used;
  }

  /** After removals: shrink when at most a quarter of a large buffer is used. */
  private maybeShrink(): void {
    const capacity = this.buf.length;
    if (capacity >= 1024 && this.used < capacity >> 2) this.fit();
  }

  // ---- changes; `lp` is listpackEntrySize of the element

  pushBack(element: string, lp: number): void {
    this.roomAtBack(entrySpan(element.length));
    this.end = writeEntry(this.buf, this.end, element);
    this.count++;
    this.sz += lp;
  }

  pushFront(element: string, lp: number): void {
    const span = entrySpan(element.length);
    this.roomAtFront(span);
    this.start -= span;
    writeEntry(this.buf, this.start, element);
    this.count++;
    this.sz += lp;
  }

  popFront(): string {
    const at = this.start;
    const n = lengthAt(this.buf, at);
    const from = at + varintSize(n);
    const element = this.buf.latin1Slice(from, from + n);
    this.start = from + n + varintSize(n);
    this.count--;
    this.sz -= this.plain ? n : listpackEntrySize(element);
    this.maybeShrink();
    return element;
  }

  popBack(): string {
    const end = this.end;
    const n = lengthBefore(this.buf, end);
    const to = end - varintSize(n);
    const element = this.buf.latin1Slice(to - n, to);
    this.end = to - n - varintSize(n);
    this.count--;
    this.sz -= this.plain ? n : listpackEntrySize(element);
    this.maybeShrink();
    return element;
  }

  /** Insert an element at byte offset `at` (an entry boundary). */
  insertAt(at: number, element: string, lp: number): void {
    const span = entrySpan(element.length);
    if (at === this.start) return this.pushFront(element, lp);
    if (at === this.end) return this.pushBack(element, lp);
    const rel = at - this.start;
    this.roomAtBack(span);
    const pos = this.start + rel;
    this.buf.copyWithin(pos + span, pos, this.end);
    writeEntry(this.buf, pos, element);
    this.end += span;
    this.count++;
    this.sz += lp;
  }

  /** Replace the element at byte offset `at`. */
  replaceAt(at: number, element: string): void {
    const n = lengthAt(this.buf, at);
    const oldSpan = entrySpan(n);
    const newSpan = entrySpan(element.length);
    const oldLp = this.plain ? n : listpackEntrySizeAt(this.buf, at + varintSize(n), n);
    const newLp = this.plain ? element.length : listpackEntrySize(element);
    if (newSpan > oldSpan) {
      const rel = at - this.start;
      this.roomAtBack(newSpan - oldSpan);
      at = this.start + rel;
    }
    if (newSpan !== oldSpan) this.buf.copyWithin(at + newSpan, at + oldSpan, this.end);
    this.end += newSpan - oldSpan;
    writeEntry(this.buf, at, element);
    this.sz += newLp - oldLp;
  }

  /** Remove `n` elements starting at element offset `offset`. */
  removeRange(offset: number, n: number): void {
    const buf = this.buf;
    const from = this.offsetOf(offset);
    let to = from;
    let lp = 0;
    for (let i = 0; i < n; i++) {
      const len = lengthAt(buf, to);
      const vs = varintSize(len);
      lp += this.plain ? len : listpackEntrySizeAt(buf, to + vs, len);
      to += len + 2 * vs;
    }
    if (from === this.start) this.start = to;
    else if (to === this.end) this.end = from;
    else {
      buf.copyWithin(from, to, this.end);
      this.end -= to - from;
    }
    this.count -= n;
    this.sz -= lp;
    this.maybeShrink();
  }

  /**
   * Remove up to `limit` elements equal to `target`, scanning from the front (or from the back when
   * `fromBack`); returns how many went.
   */
  removeMatching(target: string, targetBytes: Buffer | null, limit: number, fromBack: boolean): number {
    const buf = this.buf;
    const matches: number[] = [];
    if (!fromBack) {
      for (let at = this.start; at < this.end && matches.length < limit; ) {
        const n = lengthAt(buf, at);
        if (equalsAt(buf, at, n, target, targetBytes)) matches.push(at);
        at += entrySpan(n);
      }
    } else {
      for (let end = this.end; end > this.start && matches.length < limit; ) {
        const n = lengthBefore(buf, end);
        const at = end - entrySpan(n);
        if (equalsAt(buf, at, n, target, targetBytes)) matches.push(at);
        end = at;
      }
      matches.reverse();
    }
    if (matches.length === 0) return 0;
    const span = entrySpan(target.length);
    // Slide the kept runs left over the removed entries, in one pass.
    let write = matches[0]!;
    for (let i = 0; i < matches.length; i++) {
      const runStart = matches[i]! + span;
      const runEnd = i + 1 < matches.length ? matches[i + 1]! : this.end;
      if (runEnd > runStart) buf.copyWithin(write, runStart, runEnd);
      write += runEnd - runStart;
    }
    this.end = write;
    this.count -= matches.length;
    this.sz -= matches.length * (this.plain ? target.length : listpackEntrySize(target));
    this.maybeShrink();
    return matches.length;
  }

  /**
   * Redis's _quicklistSplitNode: with `after`, this chunk keeps elements [0, offset] and the new
   * chunk returned holds the rest; otherwise this chunk keeps [offset, count) and the new one [0, offset).
   */
  split(offset: number, after: boolean): Chunk {
    const at = this.offsetOf(after ? offset + 1 : offset);
    const movedCount = after ? this.count - offset - 1 : offset;
    const from = after ? at : this.start;
    const to = after ? this.end : at;
    let lp = 0;
    for (let p = from; p < to; ) {
      const n = lengthAt(this.buf, p);
      const vs = varintSize(n);
      lp += listpackEntrySizeAt(this.buf, p + vs, n);
      p += n + 2 * vs;
    }
    const moved = Chunk.fromBytes(this.buf, from, to, movedCount, LP_EMPTY_BYTES + lp);
    if (after) this.end = at;
    else this.start = at;
    this.count -= movedCount;
    this.sz -= lp;
    this.fit();
    return moved;
  }

  /** Check the layout against the counters (tests, and deserialize on untrusted bytes). */
  verify(): string | null {
    let count = 0;
    let lp = 0;
    let at = this.start;
    while (at < this.end) {
      const n = lengthAt(this.buf, at);
      const vs = varintSize(n);
      const next = at + n + 2 * vs;
      if (next > this.end || lengthBefore(this.buf, next) !== n) return `bad entry at ${at}`;
      lp += this.plain ? n : listpackEntrySizeAt(this.buf, at + vs, n);
      count++;
      at = next;
    }
    if (at !== this.end) return 'entries overrun the chunk';
    if (count !== this.count) return `count ${this.count}, found ${count}`;
    const sz = this.plain ? lp : LP_EMPTY_BYTES + lp;
    if (sz !== this.sz) return `sz ${this.sz}, computed ${sz}`;
    if (count === 0) return 'empty chunk';
    if (this.plain && count !== 1) return 'plain chunk with several elements';
    return null;
  }
}

/** Two nodes Redis would merge into one (_quicklistNodeAllowMerge). */
function allowMerge(a: Chunk, b: Chunk, fill: number): boolean {
  if (a.plain || b.plain) return false;
  return !exceedsLimit(fill, a.sz + b.sz - LP_EMPTY_BYTES, a.count + b.count);
}

/** Whether an element of `n` bytes may join this node (_quicklistNodeAllowInsert). */
function allowInsert(node: Chunk | undefined, n: number, fill: number): boolean {
  if (node === undefined || node.plain || isLargeElement(n, fill)) return false;
  return !exceedsLimit(fill, node.sz + n + SIZE_ESTIMATE_OVERHEAD, node.count + 1);
}

/** Where an element lies: its chunk's index, its offset in the chunk, its byte offset. */
interface Position {
  chunk: number;
  offset: number;
  at: number;
}

/**
 * LMOVEM: where elements popped from the `from` end (in pop order) land at the `to` end.
 * `destinationOrder` is how they read in the destination, head to tail (the command's reply);
 * `pushOrder` is the order to push them one by one at `to` to get there. One by one (OBO) pushes
 * them as popped; BULK keeps the block in its order in the source.
 */
export function movedElements(popped: readonly string[], from: ListEnd, to: ListEnd, bulk: boolean): { destinationOrder: string[]; pushOrder: string[] } {
  const block = from === 'left' ? [...popped] : [...popped].reverse();
  const asPopped = [...popped];
  if (bulk) return { destinationOrder: block, pushOrder: to === 'left' ? [...block].reverse() : block };
  return { destinationOrder: to === 'left' ? [...asPopped].reverse() : asPopped, pushOrder: asPopped };
}

export class RedisList {
  /** The nodes, head first. No chunk is empty; in listpack encoding there is at most one. */
  private chunks: Chunk[] = [];
  /** Number of elements: the sum of the chunks' counts. */
  private len = 0;
  /** Encoded as one listpack (OBJECT ENCODING "listpack"); else a quicklist. */
  private listpack = true;
  /** The quicklist's own fill, fixed when it was created (Redis's quicklist->fill). */
  private fill = LIST_FILL_DEFAULT;

  /** A list of these elements, built as that many RPUSHes into a new key would build it. */
  static of(elements: readonly string[], fill = LIST_FILL_DEFAULT): RedisList {
    const list = new RedisList();
    list.push(elements, 'right', fill);
    return list;
  }

  get length(): number {
    return this.len;
  }

  /** OBJECT ENCODING. */
  get encoding(): ListEncoding {
    return this.listpack ? 'listpack' : 'quicklist';
  }

  /** Number of nodes (1 for a listpack with elements): for tests and DEBUG-like introspection. */
  get nodeCount(): number {
    return this.chunks.length;
  }

  /** Bytes held by the chunks' buffers (capacity included). */
  get allocatedBytes(): number {
    let total = 0;
    for (const chunk of this.chunks) total += chunk.buf.length;
    return total;
  }

  /** Redis's node sizes (listpack bytes), head first: for tests. */
  nodeSizes(): Array<{ count: number; sz: number; plain: boolean }> {
    return this.chunks.map((c) => ({ count: c.count, sz: c.sz, plain: c.plain }));
  }

  // ---- reads

  /** LINDEX: the element at `index` (negative counts from the tail), or undefined out of range. */
  index(index: number): string | undefined {
    const position = this.locate(index);
    if (position === null) return undefined;
    return this.chunks[position.chunk]!.elementAt(position.at);
  }

  /** LRANGE: elements start..stop inclusive, with Redis's index rules (negative from the tail, clamped). */
  range(start: number, stop: number): string[] {
    const out: string[] = [];
    this.visitRange(start, stop, (buf, offset, length) => {
      out.push((buf as Latin1Buffer).latin1Slice(offset, offset + length));
    });
    return out;
  }

  /**
   * The same elements as range(start, stop), handed to `visit` as bytes in place (no copy, no
   * string): valid only during the call. Returns how many were visited.
   */
  visitRange(start: number, stop: number, visit: (buf: Buffer, offset: number, length: number) => void): number {
    const len = this.len;
    if (start < 0) start += len;
    if (stop < 0) stop += len;
    if (start < 0) start = 0;
    if (start > stop || start >= len) return 0;
    if (stop >= len) stop = len - 1;
    let remaining = stop - start + 1;
    const total = remaining;
    const position = this.locate(start)!;
    let at = position.at;
    for (let c = position.chunk; remaining > 0; c++) {
      const chunk = this.chunks[c]!;
      const buf = chunk.buf;
      if (c !== position.chunk) at = chunk.start;
      while (remaining > 0 && at < chunk.end) {
        const n = lengthAt(buf, at);
        const vs = varintSize(n);
        visit(buf, at + vs, n);
        at += n + 2 * vs;
        remaining--;
      }
    }
    return total;
  }

  /** Every element, head first. */
  toArray(): string[] {
    return this.range(0, -1);
  }

  *values(): IterableIterator<string> {
    for (const chunk of this.chunks) {
      for (let at = chunk.start; at < chunk.end; ) {
        const n = lengthAt(chunk.buf, at);
        yield chunk.elementAt(at);
        at += entrySpan(n);
      }
    }
  }

  /**
   * LPOS: the indexes of matches of `element`, per Redis's RANK/COUNT/MAXLEN rules. Without COUNT
   * the result has at most one index; the command replies with it or nil.
   */
  positions(element: string, options: ListPosOptions = {}): number[] {
    let rank = options.rank ?? 1;
    const count = options.count;
    const maxlen = options.maxlen ?? 0;
    const backwards = rank < 0;
    if (backwards) rank = -rank;
    const out: number[] = [];
    const targetBytes = targetBytesOf(element);
    const len = this.len;
    let index = 0;
    let matches = 0;
    const consider = (buf: Latin1Buffer, at: number, n: number): boolean => {
      if (equalsAt(buf, at, n, element, targetBytes)) {
        matches++;
        if (matches >= rank) {
          out.push(backwards ? len - index - 1 : index);
          if (count === undefined || (count !== 0 && out.length >= count)) return false;
        }
      }
      index++;
      return maxlen === 0 || index < maxlen;
    };
    if (!backwards) {
      for (const chunk of this.chunks) {
        for (let at = chunk.start; at < chunk.end; ) {
          const n = lengthAt(chunk.buf, at);
          if (!consider(chunk.buf, at, n)) return out;
          at += entrySpan(n);
        }
      }
    } else {
      for (let c = this.chunks.length - 1; c >= 0; c--) {
        const chunk = this.chunks[c]!;
        for (let end = chunk.end; end > chunk.start; ) {
          const n = lengthBefore(chunk.buf, end);
          const at = end - entrySpan(n);
          if (!consider(chunk.buf, at, n)) return out;
          end = at;
        }
      }
    }
    return out;
  }

  // ---- writes; a list left empty must be deleted by the caller, as Redis deletes the key

  /**
   * LPUSH/RPUSH (and the X forms on an existing list): push the elements one by one at `end`
   * (so LPUSH a b c leaves c first); returns the new length.
   */
  push(elements: readonly string[], end: ListEnd, fill = LIST_FILL_DEFAULT): number {
    let addBytes = 0;
    for (const element of elements) addBytes += element.length;
    this.tryConvertListpack(addBytes, elements.length, fill);
    for (const element of elements) this.pushOne(element, end);
    return this.len;
  }

  /** LPOP/RPOP: remove and return the element at `end`, or undefined when the list is empty. */
  pop(end: ListEnd, fill = LIST_FILL_DEFAULT): string | undefined {
    if (this.len === 0) return undefined;
    const element = this.popOne(end);
    if (this.len > 0) this.tryConvertQuicklist(fill);
    return element;
  }

  /**
   * LPOP/RPOP with COUNT, LMPOP, BLMPOP: remove up to `count` elements from `end` and return them in
   * the order popped (RPOP 2 of [a b c] gives [c b]).
   */
  popMany(count: number, end: ListEnd, fill = LIST_FILL_DEFAULT): string[] {
    const n = Math.min(count, this.len);
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.popOne(end);
    if (n > 0 && this.len > 0) this.tryConvertQuicklist(fill);
    return out;
  }

  /**
   * LMOVE/RPOPLPUSH/BLMOVE: pop from this list's `from` end and push the element at `destination`'s
   * `to` end (destination may be this list); returns the element, or undefined when this list is
   * empty. The steps and encoding checks follow Redis's lmoveGenericCommand in order. A new
   * destination key starts as `new RedisList()`.
   */
  move(destination: RedisList, from: ListEnd, to: ListEnd, fill = LIST_FILL_DEFAULT): string | undefined {
    if (this.len === 0) return undefined;
    const fromQuicklist = !this.listpack;
    const element = this.popOne(from);
    // Redis sizes the popped value for the conversion check only when it is held as a string: a
    // quicklist hands integer entries back as integer objects, which count for 0 bytes.
    const estimate = fromQuicklist && element.length <= 20 && isIntegerString(element) ? 0 : element.length;
    destination.tryConvertListpack(estimate, 1, fill);
    destination.pushOne(element, to);
    if (this.len > 0) this.tryConvertQuicklist(fill);
    return element;
  }

  /**
   * LSET: replace the element at `index`; false when out of range. As in Redis, the growing check
   * runs first (with the new element's size), so a list may change encoding even when the index is
   * out of range.
   */
  set(index: number, element: string, fill = LIST_FILL_DEFAULT): boolean {
    this.tryConvertListpack(element.length, 1, fill);
    const position = this.locate(index);
    if (position === null) return false;
    if (this.listpack) this.chunks[0]!.replaceAt(position.at, element);
    else this.replaceInQuicklist(position, element);
    this.tryConvertQuicklist(fill);
    return true;
  }

  /**
   * LINSERT: insert `element` before or after the first occurrence of `pivot` (from the head);
   * returns the new length, or -1 when the pivot is absent. The growing check runs before the search.
   */
  insert(pivot: string, element: string, where: 'before' | 'after', fill = LIST_FILL_DEFAULT): number {
    this.tryConvertListpack(element.length, 1, fill);
    const position = this.find(pivot);
    if (position === null) return -1;
    const after = where === 'after';
    if (this.listpack) {
      const chunk = this.chunks[0]!;
      const at = after ? position.at + entrySpan(lengthAt(chunk.buf, position.at)) : position.at;
      chunk.insertAt(at, element, listpackEntrySize(element));
      this.len++;
    } else {
      this.insertInQuicklist(position, element, after);
    }
    return this.len;
  }

  /**
   * LREM: remove elements equal to `element`: the first `count` from the head when count > 0, the
   * last -count from the tail when count < 0, all when 0. Returns how many were removed.
   */
  remove(count: number, element: string, fill = LIST_FILL_DEFAULT): number {
    const limit = count === 0 ? Infinity : Math.abs(count);
    const fromBack = count < 0;
    const targetBytes = targetBytesOf(element);
    let removed = 0;
    const chunks = this.chunks;
    for (let i = 0; i < chunks.length && removed < limit; i++) {
      const c = fromBack ? chunks.length - 1 - i : i;
      const chunk = chunks[c]!;
      const gone = chunk.removeMatching(element, targetBytes, limit - removed, fromBack);
      removed += gone;
      if (gone > 0 && chunk.count === 0) {
        // The next chunk to visit takes this one's turn (from either end).
        chunks.splice(c, 1);
        i--;
      }
    }
    this.len -= removed;
    if (removed > 0 && this.len > 0) this.tryConvertQuicklist(fill);
    return removed;
  }

  /** LTRIM: keep elements start..stop (Redis's index rules); returns how many were removed. */
  trim(start: number, stop: number, fill = LIST_FILL_DEFAULT): number {
    const len = this.len;
    if (start < 0) start += len;
    if (stop < 0) stop += len;
    if (start < 0) start = 0;
    let ltrim: number;
    let rtrim: number;
    if (start > stop || start >= len) {
      ltrim = len;
      rtrim = 0;
    } else {
      if (stop >= len) stop = len - 1;
      ltrim = start;
      rtrim = len - stop - 1;
    }
    this.deleteRange(0, ltrim);
    this.deleteRange(this.len - rtrim, rtrim);
    if (this.len > 0) this.tryConvertQuicklist(fill);
    return ltrim + rtrim;
  }

  // ---- copies and snapshots

  /** COPY: an independent list with the same elements, nodes and encoding (Redis's listTypeDup). */
  copy(): RedisList {
    const out = new RedisList();
    out.chunks = this.chunks.map((c) => c.clone());
    out.len = this.len;
    out.listpack = this.listpack;
    out.fill = this.fill;
    return out;
  }

  /**
   * The list as bytes for a snapshot: version, encoding, the quicklist's fill, then each node
   * (flags, element count, Redis size, byte length, the element bytes in chunk layout).
   */
  serialize(): Buffer {
    let size = 1 + 1 + 4 + 4;
    for (const chunk of this.chunks) size += 1 + 4 + 4 + 4 + chunk.used;
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    out[at++] = LIST_SERIAL_VERSION;
    out[at++] = this.listpack ? 0 : 1;
    at = out.writeInt32LE(this.fill, at);
    at = out.writeUInt32LE(this.chunks.length, at);
    for (const chunk of this.chunks) {
      out[at++] = chunk.plain ? 1 : 0;
      at = out.writeUInt32LE(chunk.count, at);
      at = out.writeUInt32LE(chunk.sz, at);
      at = out.writeUInt32LE(chunk.used, at);
      at += chunk.buf.copy(out, at, chunk.start, chunk.end);
    }
    return out;
  }

  /** The list serialize() wrote; throws on any other version or on bytes that do not check out. */
  static deserialize(bytes: Buffer): RedisList {
    const fail = (why: string): never => {
      throw new Error(`list snapshot: ${why}`);
    };
    if (bytes.length < 10) fail('too short');
    if (bytes[0] !== LIST_SERIAL_VERSION) fail(`unknown version ${bytes[0]}`);
    const list = new RedisList();
    list.listpack = bytes[1] === 0;
    list.fill = bytes.readInt32LE(2);
    const chunkCount = bytes.readUInt32LE(6);
    let at = 10;
    for (let i = 0; i < chunkCount; i++) {
      if (at + 13 > bytes.length) fail('truncated node header');
      const plain = bytes[at] === 1;
      const count = bytes.readUInt32LE(at + 1);
      const sz = bytes.readUInt32LE(at + 5);
      const used = bytes.readUInt32LE(at + 9);
      at += 13;
      if (at + used > bytes.length) fail('truncated node');
      const buf = allocate(Math.max(plain ? used : CHUNK_MIN_BYTES, used));
      bytes.copy(buf, 0, at, at + used);
      at += used;
      const chunk = new Chunk(buf, 0, used, count, sz, plain);
      const problem = chunk.verify();
      if (problem !== null) fail(`node ${i}: ${problem}`);
      list.chunks.push(chunk);
      list.len += count;
    }
    if (at !== bytes.length) fail('trailing bytes');
    if (list.listpack && list.chunks.length > 1) fail('a listpack with several nodes');
    return list;
  }

  /** Check every invariant; returns the first problem found, or null (tests). */
  verify(): string | null {
    let len = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const problem = this.chunks[i]!.verify();
      if (problem !== null) return `node ${i}: ${problem}`;
      len += this.chunks[i]!.count;
    }
    if (len !== this.len) return `length ${this.len}, nodes hold ${len}`;
    if (this.listpack && this.chunks.length > 1) return 'listpack with several nodes';
    if (this.listpack && this.chunks.some((c) => c.plain)) return 'listpack with a plain node';
    return null;
  }

  // ---- Redis's encoding conversions (t_list.c)

  /** listTypeTryConvertListpack: before adding `addLength` elements of `addBytes` bytes in all. */
  private tryConvertListpack(addBytes: number, addLength: number, fill: number): void {
    if (!this.listpack) return;
    const lpBytes = this.chunks.length === 0 ? LP_EMPTY_BYTES : this.chunks[0]!.sz;
    if (!exceedsLimit(fill, lpBytes + addBytes, this.len + addLength)) return;
    // The listpack becomes the new quicklist's only node, as it is.
    this.listpack = false;
    this.fill = fill;
  }

  /** listTypeTryConvertQuicklist with shrinking: one packed node at most half the limit goes back to a listpack. */
  private tryConvertQuicklist(fill: number): void {
    if (this.listpack || this.chunks.length !== 1) return;
    const node = this.chunks[0]!;
    if (node.plain) return;
    if (fill < 0) {
      if (node.sz > sizeLimitOf(fill) / 2) return;
    } else if (this.len > Math.floor((fill === 0 ? 1 : fill) / 2)) {
      return;
    }
    this.listpack = true;
  }

  // ---- node-level operations (quicklist.c)

  private pushOne(element: string, end: ListEnd): void {
    const chunks = this.chunks;
    const left = end === 'left';
    this.len++;
    if (this.listpack) {
      const chunk = chunks[0];
      if (chunk === undefined) chunks.push(Chunk.of(element, false, left));
      else if (left) chunk.pushFront(element, listpackEntrySize(element));
      else chunk.pushBack(element, listpackEntrySize(element));
      return;
    }
    const n = element.length;
    const edge = left ? chunks[0] : chunks[chunks.length - 1];
    if (isLargeElement(n, this.fill)) {
      if (left) chunks.unshift(Chunk.of(element, true, true));
      else chunks.push(Chunk.of(element, true, false));
      return;
    }
    if (allowInsert(edge, n, this.fill)) {
      if (left) edge!.pushFront(element, listpackEntrySize(element));
      else edge!.pushBack(element, listpackEntrySize(element));
      return;
    }
    // The edge node is full: it will not grow again from this end, so give back its spare room.
    edge?.fit(true);
    if (left) chunks.unshift(Chunk.of(element, false, true));
    else chunks.push(Chunk.of(element, false, false));
  }

  private popOne(end: ListEnd): string {
    const chunks = this.chunks;
    this.len--;
    if (end === 'left') {
      const chunk = chunks[0]!;
      const element = chunk.popFront();
      if (chunk.count === 0) chunks.shift();
      return element;
    }
    const chunk = chunks[chunks.length - 1]!;
    const element = chunk.popBack();
    if (chunk.count === 0) chunks.pop();
    return element;
  }

  /** Where element `index` lies (negative from the tail), or null out of range; seeks from the nearer end. */
  private locate(index: number): Position | null {
    const len = this.len;
    if (index < 0) index += len;
    if (index < 0 || index >= len) return null;
    const chunks = this.chunks;
    if (index <= (len - 1) >> 1) {
      let before = 0;
      for (let c = 0; ; c++) {
        const chunk = chunks[c]!;
        if (before + chunk.count > index) return { chunk: c, offset: index - before, at: chunk.offsetOf(index - before) };
        before += chunk.count;
      }
    }
    let after = len;
    for (let c = chunks.length - 1; ; c--) {
      const chunk = chunks[c]!;
      after -= chunk.count;
      if (after <= index) return { chunk: c, offset: index - after, at: chunk.offsetOf(index - after) };
    }
  }

  /** The first element equal to `target`, from the head. */
  private find(target: string): Position | null {
    const targetBytes = targetBytesOf(target);
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      let offset = 0;
      for (let at = chunk.start; at < chunk.end; offset++) {
        const n = lengthAt(chunk.buf, at);
        if (equalsAt(chunk.buf, at, n, target, targetBytes)) return { chunk: c, offset, at };
        at += entrySpan(n);
      }
    }
    return null;
  }

  /** Remove `count` elements from index `start` (>= 0): whole nodes go, others lose the range (quicklistDelRange). */
  private deleteRange(start: number, count: number): void {
    if (count <= 0) return;
    const chunks = this.chunks;
    let c = 0;
    let before = 0;
    while (before + chunks[c]!.count <= start) before += chunks[c++]!.count;
    let offset = start - before;
    let remaining = count;
    while (remaining > 0) {
      const chunk = chunks[c]!;
      const del = Math.min(remaining, chunk.count - offset);
      if (del === chunk.count) {
        chunks.splice(c, 1);
      } else {
        chunk.removeRange(offset, del);
        c++;
      }
      remaining -= del;
      offset = 0;
    }
    this.len -= count;
  }

  /** _quicklistInsert: insert next to the element at `position` in a quicklist. */
  private insertInQuicklist(position: Position, element: string, after: boolean): void {
    const chunks = this.chunks;
    const fill = this.fill;
    const c = position.chunk;
    const node = chunks[c]!;
    const n = element.length;
    const offset = position.offset;
    const full = !allowInsert(node, n, fill);
    const atTail = after && offset === node.count - 1;
    const atHead = !after && offset === 0;
    const availNext = atTail && allowInsert(chunks[c + 1], n, fill);
    const availPrev = atHead && allowInsert(chunks[c - 1], n, fill);
    this.len++;

    if (isLargeElement(n, fill)) {
      const plain = Chunk.of(element, true, false);
      if (node.plain || atTail || atHead) {
        chunks.splice(after ? c + 1 : c, 0, plain);
      } else {
        const moved = node.split(offset, after);
        if (after) chunks.splice(c + 1, 0, plain, moved);
        else chunks.splice(c, 0, moved, plain);
      }
      return;
    }
    const lp = listpackEntrySize(element);
    if (!full) {
      const at = after ? position.at + entrySpan(lengthAt(node.buf, position.at)) : position.at;
      node.insertAt(at, element, lp);
    } else if (atTail && availNext) {
      chunks[c + 1]!.pushFront(element, lp);
    } else if (atHead && availPrev) {
      chunks[c - 1]!.pushBack(element, lp);
    } else if (atTail || atHead) {
      chunks.splice(after ? c + 1 : c, 0, Chunk.of(element, false, !after));
    } else {
      // A full node is split at the pivot and the element joins the new half.
      const moved = node.split(offset, after);
      if (after) {
        moved.pushFront(element, lp);
        chunks.splice(c + 1, 0, moved);
      } else {
        moved.pushBack(element, lp);
        chunks.splice(c, 0, moved);
      }
      this.mergeAround(node);
    }
  }

  /** quicklistReplaceEntry: replace the element at `position` in a quicklist. */
  private replaceInQuicklist(position: Position, element: string): void {
    const chunks = this.chunks;
    const fill = this.fill;
    const c = position.chunk;
    const node = chunks[c]!;
    const large = isLargeElement(element.length, fill);
    if (!node.plain && !large) {
      node.replaceAt(position.at, element);
    } else if (node.plain) {
      if (large) {
        node.replaceAt(position.at, element);
        node.fit();
      } else {
        // Insert the new element after the plain node, then drop the node.
        this.insertInQuicklist(position, element, true);
        chunks.splice(chunks.indexOf(node), 1);
        this.len--;
      }
    } else {
      // A large element in a packed node: the node is split after the element, the element gets a
      // plain node of its own, and the old element (now the node's last) is deleted.
      const split = position.offset !== node.count - 1 ? node.split(position.offset, true) : null;
      const plain = Chunk.of(element, true, false);
      if (split !== null) chunks.splice(c + 1, 0, plain, split);
      else chunks.splice(c + 1, 0, plain);
      if (node.count === 1) {
        chunks.splice(c, 1);
      } else {
        node.popBack();
        this.mergeAround(plain);
      }
    }
  }

  /**
   * _quicklistMergeNodes around `center`: merge (prev-prev, prev), (next, next-next), then center
   * with its prev, then the result with its next, each when the merged node would fit.
   */
  private mergeAround(center: Chunk): void {
    const chunks = this.chunks;
    const fill = this.fill;
    let c = chunks.indexOf(center);
    if (c >= 2 && allowMerge(chunks[c - 2]!, chunks[c - 1]!, fill)) {
      this.mergePair(c - 2);
      c--;
    }
    if (c + 2 < chunks.length && allowMerge(chunks[c + 1]!, chunks[c + 2]!, fill)) this.mergePair(c + 1);
    let target = c;
    if (c >= 1 && allowMerge(chunks[c - 1]!, chunks[c]!, fill)) {
      this.mergePair(c - 1);
      target = c - 1;
    }
    if (target + 1 < chunks.length && allowMerge(chunks[target]!, chunks[target + 1]!, fill)) this.mergePair(target);
  }

  /** Replace chunks i and i+1 by one chunk holding both (lpMerge). */
  private mergePair(i: number): void {
    const a = this.chunks[i]!;
    const b = this.chunks[i + 1]!;
    const buf = allocate(a.used + b.used);
    a.buf.copy(buf, 0, a.start, a.end);
    b.buf.copy(buf, a.used, b.start, b.end);
    const merged = new Chunk(buf, 0, a.used + b.used, a.count + b.count, a.sz + b.sz - LP_EMPTY_BYTES, false);
    this.chunks.splice(i, 2, merged);
  }
}
