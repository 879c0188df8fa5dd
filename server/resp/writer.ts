// The reply writer: the only place that knows how RESP2 and RESP3 differ.
// Replies are appended to one growing buffer per connection and handed to the socket once per
// event-loop turn (see server/flush.ts), so a pipeline of 100k commands costs a handful of writes.

import type { Reply } from '../../commands/types';

const INITIAL_BYTES = 16 * 1024;
/** Output below this size is copied out (a cheap pooled allocation) so the buffer can be reused. */
const COPY_OUT_MAX_BYTES = 4 * 1024;

const OK = Buffer.from('+OK\r\n');
const NULL_BULK2 = Buffer.from('$-1\r\n');
const NULL_ARRAY2 = Buffer.from('*-1\r\n');
const NULL3 = Buffer.from('_\r\n');
const TRUE3 = Buffer.from('#t\r\n');
const FALSE3 = Buffer.from('#f\r\n');

/** Pre-encoded ":n\r\n" for small integers, the most common integer replies. */
const SMALL_INTS: Buffer[] = Array.from({ length: 256 }, (_, n) => Buffer.from(`:${n}\r\n`));

/** Strings longer than this are copied by Buffer#write; shorter ones byte by byte (cheaper than the call). */
const SHORT_STRING = 32;

/** Copy source[start, end) to target at `at`: a loop for a few bytes (cheaper than the native call). */
function copyBytes(source: Buffer, start: number, end: number, target: Buffer, at: number): void {
  if (end - start > SHORT_STRING) {
    source.copy(target, at, start, end);
    return;
  }
  for (let i = start; i < end; i++) target[at++] = source[i]!;
}

/** Write a latin1 string at `at`; returns the position after it. */
function writeLatin1(buf: Buffer, at: number, text: string): number {
  const n = text.length;
  if (n > SHORT_STRING) return at + buf.write(text, at, 'latin1');
  for (let i = 0; i < n; i++) buf[at + i] = text.charCodeAt(i);
  return at + n;
}

/** "00", "01", ... "99": integers are written two digits per division, as Redis's ull2string does. */
const DIGIT_PAIRS = Buffer.from(Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0')).join(''), 'latin1');
const TWO_POW_32 = 4294967296;

/** Digits of an integer 0 <= n < 2^32 in decimal. */
function digitCount32(n: number): number {
  if (n < 100000) {
    if (n < 100) return n < 10 ? 1 : 2;
    return n < 1000 ? 3 : n < 10000 ? 4 : 5;
  }
  if (n < 10000000) return n < 1000000 ? 6 : 7;
  return n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
}

/** Digits of a non-negative safe integer in decimal. */
function decimalDigits(n: number): number {
  return n < TWO_POW_32 ? digitCount32(n) : digitCount32(Math.floor(n / 1e9)) + 9;
}

/** Write 0 <= n < 2^32 as exactly `digits` digits (zero-padded on the left) at `at`. */
function writeDigits32(buf: Buffer, at: number, n: number, digits: number): void {
  let i = at + digits;
  while (n >= 100) {
    const q = (n / 100) >>> 0;
    const pair = (n - q * 100) * 2;
    buf[--i] = DIGIT_PAIRS[pair + 1]!;
    buf[--i] = DIGIT_PAIRS[pair]!;
    n = q;
  }
  if (n >= 10) {
    buf[--i] = DIGIT_PAIRS[n * 2 + 1]!;
    buf[--i] = DIGIT_PAIRS[n * 2]!;
  } else {
    buf[--i] = 0x30 + n;
  }
  while (i > at) buf[--i] = 0x30;
}

/**
 * Write a safe integer in decimal at `at`; returns the position after it. Above 2^32 (stream IDs'
 * milliseconds) it is split into parts below 10^9, so every division is a 32-bit one.
 */
function writeInteger(buf: Buffer, at: number, n: number): number {
  if (n < 0) {
    buf[at++] = 0x2d;
    n = -n;
  }
  if (n < TWO_POW_32) {
    const digits = digitCount32(n);
    writeDigits32(buf, at, n, digits);
    return at + digits;
  }
  const high = Math.floor(n / 1e9);
  const highDigits = digitCount32(high);
  writeDigits32(buf, at, high, highDigits);
  writeDigits32(buf, at + highDigits, n - high * 1e9, 9);
  return at + highDigits + 9;
}

/** Redis's %.17g rendering of a double, used where RESP2 sends doubles as bulk strings. */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return formatG17(value);
}

function formatG17(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(value)));
  let text: string;
  if (exp < -4 || exp >= 17) {
    // %e style with trailing zeros removed, exponent at least two digits.
    const [mantissa, e] = value.toExponential(16).split('e') as [string, string];
    const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    text = `${m}e${sign}${digits}`;
  } else {
    text = value.toFixed(Math.max(0, 16 - exp));
    if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  }
  return text;
}

/** RESP3 doubles: Redis 7.2 prints the shortest text that reads back as the same double. */
export function formatDoubleResp3(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}

export class ReplyWriter implements Reply {
  resp: 2 | 3 = 2;
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private len = 0;
  private written = 0;
  /** Called for every error reply with its code (ERR, WRONGTYPE...), for INFO errorstats. */
  onError: ((code: string) => void) | null = null;

  get bytesWritten(): number {
    return this.written + this.len;
  }

  /** Bytes waiting to be handed to the socket. */
  get pendingBytes(): number {
    return this.len;
  }

  /**
   * Where CLIENT REPLY OFF/SKIP started to silence the output, or -1. What is written after it is
   * dropped when the silence ends, except pub/sub pushes (Redis's CLIENT_PUSHING): replies are
   * judged at the moment they are written, as Redis does, so a mode changed inside EXEC takes
   * effect from that command on.
   */
  private silencedFrom = -1;
  /** [start, end) pairs of the pushes written while silenced; they survive truncate. */
  private pushRanges: number[] = [];

  /** The current write position, for `truncate` and `keepAsPush`. */
  mark(): number {
    return this.len;
  }

  /** Drop everything written after `mark`, except the pushes written while silenced. */
  truncate(mark: number): void {
    let end = mark;
    const ranges = this.pushRanges;
    for (let i = 0; i < ranges.length; i += 2) {
      const start = ranges[i]!;
      const stop = ranges[i + 1]!;
      if (start < mark) continue;
      // Ranges are in order and only move left, so copying over the dropped bytes is safe.
      this.buf.copy(this.buf, end, start, stop);
      end += stop - start;
    }
    ranges.length = 0;
    this.len = end;
  }

  /** Replies written from now on are dropped at the end of the silence (pushes excepted). */
  silence(): void {
    if (this.silencedFrom < 0) this.silencedFrom = this.len;
  }

  /** End a silence: drop what it covered, pushes excepted; later replies are written normally. */
  unsilence(): void {
    if (this.silencedFrom < 0) return;
    this.truncate(this.silencedFrom);
    this.silencedFrom = -1;
  }

  /** The bytes from `start` to here are a pub/sub push, which CLIENT REPLY OFF/SKIP let through. */
  keepAsPush(start: number): void {
    if (this.silencedFrom >= 0 && start >= this.silencedFrom) this.pushRanges.push(start, this.len);
  }

  /** Hand over everything written so far and start afresh; null when there is nothing. */
  take(): Buffer | null {
    if (this.len === 0) return null;
    let out: Buffer;
    if (this.len <= COPY_OUT_MAX_BYTES) {
      out = Buffer.from(this.buf.subarray(0, this.len));
    } else {
      out = this.buf.subarray(0, this.len);
      this.buf = Buffer.allocUnsafe(INITIAL_BYTES);
    }
    this.written += this.len;
    this.len = 0;
    this.pushRanges.length = 0;
    if (this.silencedFrom > 0) this.silencedFrom = 0;
    return out;
  }

  private ensure(extra: number): void {
    const needed = this.len + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }

  raw(bytes: Buffer): void {
    const n = bytes.length;
    this.ensure(n);
    copyBytes(bytes, 0, n, this.buf, this.len);
    this.len += n;
  }

  /** A type byte, ASCII text and CRLF: the shape of every header and simple reply. */
  private line(type: number, text: string): void {
    this.ensure(text.length + 3);
    const buf = this.buf;
    buf[this.len++] = type;
    this.len = writeLatin1(buf, this.len, text);
    buf[this.len++] = 0x0d;
    buf[this.len++] = 0x0a;
  }

  /** A type byte, a decimal integer and CRLF, without building the number's text. */
  private numberLine(type: number, n: number): void {
    if (!Number.isSafeInteger(n)) {
      this.line(type, String(n));
      return;
    }
    this.ensure(24);
    const buf = this.buf;
    buf[this.len++] = type;
    this.len = writeInteger(buf, this.len, n);
    buf[this.len++] = 0x0d;
    buf[this.len++] = 0x0a;
  }

  ok(): void {
    this.raw(OK);
  }

  simple(text: string): void {
    this.line(0x2b, text);
  }

  error(message: string): void {
    // Redis never lets a newline into an error line: it would break the protocol.
    const clean = /[\r\n]/.test(message) ? message.replace(/[\r\n]/g, ' ') : message;
    if (this.onError !== null) {
      const space = clean.indexOf(' ');
      this.onError(space === -1 ? clean : clean.slice(0, space));
    }
    this.line(0x2d, clean);
  }

  integer(n: number | bigint): void {
    if (typeof n === 'number' && n >= 0 && n < SMALL_INTS.length && Number.isInteger(n)) {
      this.raw(SMALL_INTS[n]!);
      return;
    }
    if (typeof n === 'number') this.numberLine(0x3a, n);
    else this.line(0x3a, String(n));
  }

  bulk(value: string | Buffer): void {
    const size = value.length;
    this.ensure(size + 25);
    const buf = this.buf;
    buf[this.len++] = 0x24; // '$'
    this.len = writeInteger(buf, this.len, size);
    buf[this.len++] = 0x0d;
    buf[this.len++] = 0x0a;
    if (typeof value === 'string') this.len = writeLatin1(buf, this.len, value);
    else this.len += value.copy(buf, this.len);
    buf[this.len++] = 0x0d;
    buf[this.len++] = 0x0a;
  }

  bulkRange(source: Buffer, start: number, end: number): void {
    const size = end - start;
    this.ensure(size + 25);
    const buf = this.buf;
    buf[this.len++] = 0x24; // '$'
    this.len = writeInteger(buf, this.len, size);
    buf[this.len++] = 0x0d;
    buf[this.len++] = 0x0a;
    copyBytes(source, start, end, buf, this.len);
    this.len += size;
    buf[this.len++] = 0x0d;
    buf[this.len++] = 0x0a;
  }

  bulkIdParts(ms: number, seq: number): void {
    const size = decimalDigits(ms) + 1 + decimalDigits(seq);
    this.ensure(size + 25);
    const buf = this.buf;
    buf[this.len++] = 0x24; // '$'
    this.len = writeInteger(buf, this.len, size);
    buf[this.len++] = 0x0d;
    buf[this.len++] = 0x0a;
    this.len = writeInteger(buf, this.len, ms);
    buf[this.len++] = 0x2d; // '-'
    this.len = writeInteger(buf, this.len, seq);
    buf[this.len++] = 0x0d;
    buf[this.len++] = 0x0a;
  }

  nullBulk(): void {
    this.raw(this.resp === 3 ? NULL3 : NULL_BULK2);
  }

  nullArray(): void {
    this.raw(this.resp === 3 ? NULL3 : NULL_ARRAY2);
  }

  array(length: number): void {
    this.numberLine(0x2a, length);
  }

  map(pairs: number): void {
    if (this.resp === 3) this.numberLine(0x25, pairs);
    else this.numberLine(0x2a, pairs * 2);
  }

  set(length: number): void {
    this.numberLine(this.resp === 3 ? 0x7e : 0x2a, length);
  }

  push(length: number): void {
    this.numberLine(this.resp === 3 ? 0x3e : 0x2a, length);
  }

  double(value: number): void {
    if (this.resp === 3) this.line(0x2c, formatDoubleResp3(value));
    else this.bulk(formatDouble(value));
  }

  bool(value: boolean): void {
    if (this.resp === 3) this.raw(value ? TRUE3 : FALSE3);
    else this.integer(value ? 1 : 0);
  }

  verbatim(text: string, format: 'txt' | 'mkd' = 'txt'): void {
    if (this.resp === 2) {
      this.bulk(Buffer.from(text, 'utf8'));
      return;
    }
    const body = Buffer.from(`${format}:${text}`, 'utf8');
    this.numberLine(0x3d, body.length);
    this.raw(body);
    this.raw(CRLF_BYTES);
  }
}

const CRLF_BYTES = Buffer.from('\r\n');
