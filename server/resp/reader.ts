// The request reader: turns a connection's bytes into commands (argument vectors).
//
// redis-parser decodes multibulk frames ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"), but it parses *replies*:
// it accepts frames Redis refuses, buffers a bulk of any announced size, and knows nothing of inline
// commands. So a small streaming validator walks the same bytes first. It enforces Redis's limits
// (proto-max-bulk-len, the unauthenticated limits, the query buffer limit) with Redis's exact
// protocol-error texts, splits inline commands itself, and hands redis-parser only the byte ranges
// it has checked. The validator never copies a bulk body: it only counts the bytes to skip.
// A frame that arrives whole in one chunk (nearly all of them) is not scanned twice: the validator
// has found its arguments already and hands them over itself; redis-parser assembles the frames that
// span chunks.

import RedisParser from 'redis-parser';
import { splitInlineArgs } from './inline';

/** Redis's PROTO_INLINE_MAX_SIZE: the longest inline line or count line it accepts. */
export const INLINE_MAX_BYTES = 64 * 1024;
const INT_MAX = 2147483647;
const UNAUTH_MAX_ARGS = 10;
const UNAUTH_MAX_BULK_BYTES = 16384;

export interface ReaderLimits {
  /** proto-max-bulk-len */
  protoMaxBulkLen: number;
  /** client-query-buffer-limit: the most bytes of one not yet complete command. */
  queryBufferLimit: number;
}

export interface ReaderSink {
  command(argv: Buffer[]): void;
  /** A protocol error: `detail` is Redis's text after "Protocol error: "; the reader stops. */
  protocolError(detail: string): void;
  /** The client exceeded client-query-buffer-limit; the reader stops. */
  queryBufferOverflow(bytes: number): void;
  /** Whether the client still has to authenticate (Redis then limits request sizes). */
  authRequired(): boolean;
}

const enum State {
  /** At the start of a command. */
  Boundary,
  /** Reading "*<count>" up to its '\r'. */
  CountLine,
  /** Reading "$<len>" up to its '\r'. */
  BulkLine,
  /** Skipping a bulk body and its CRLF. */
  BulkBody,
  /** Reading an inline command up to '\n'. */
  Inline,
}

const CR = 0x0d;
const LF = 0x0a;

export class RequestReader {
  private state = State.Boundary;
  /** Header or inline bytes collected across chunks (short: limited to INLINE_MAX_BYTES). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /**
   * True while the current multibulk frame has been seen whole within the current chunk; the
   * positions and lengths of its first wholeFrameArgs arguments are then in bulkStarts/bulkLengths
   * (reused arrays, written by index: resetting an array's length costs more than the frame).
   */
  private wholeFrame = false;
  private wholeFrameArgs = 0;
  private readonly bulkStarts: number[] = [];
  private readonly bulkLengths: number[] = [];
  /** The last complete line: lineBuf[lineStart, lineEnd) (see readLine). */
  private lineBuf: Buffer = Buffer.alloc(0);
  private lineStart = 0;
  private lineEnd = 0;
  /** After a header line's '\r', Redis skips exactly one more byte (the '\n') without looking at it. */
  private skipAfterCr = false;
  /** Bulks still to come in the current multibulk frame. */
  private bulksLeft = 0;
  /** Body bytes (plus CRLF) still to skip in the current bulk. */
  private bodyLeft = 0;
  /** Bytes of the current, not yet complete, command (for the query buffer limit). */
  private frameBytes = 0;
  private stopped = false;
  private readonly parser: RedisParser;

  constructor(
    private readonly sink: ReaderSink,
    private readonly limits: ReaderLimits,
  ) {
    this.parser = new RedisParser({
      returnBuffers: true,
      returnReply: (reply: unknown) => this.onFrame(reply),
      // The validator hands over only well-formed multibulk frames, so these cannot happen; if they
      // ever do, treat it as the protocol error it would be rather than guess.
      returnError: () => this.fail('invalid multibulk frame'),
      returnFatalError: () => this.fail('invalid multibulk frame'),
    });
  }

  /** Stop reading (the connection is closing); later bytes are ignored. */
  stop(): void {
    this.stopped = true;
  }

  feed(chunk: Buffer): void {
    const segmentStart = this.scan(chunk);
    if (!this.stopped && this.state !== State.Inline) this.handOver(chunk, segmentStart, chunk.length);
  }

  /**
   * Walk a chunk, running every command that completes in it. Returns where the bytes not yet
   * handed to redis-parser begin (the chunk's length when none are left for feed to hand over). The loop is kept apart from feed's last step on purpose: V8 may
   * compile a long first loop on the stack (OSR) before any call has left it, and optimized code
   * for a step that never ran deoptimizes each time it is reached; with nothing but a return after
   * the loop, there is no such step (measured: a reader warmed up on one big chunk fell into
   * that on every later call).
   */
  private scan(chunk: Buffer): number {
    let pos = 0;
    /** Start of the chunk range not yet handed to redis-parser. */
    let segmentStart = 0;
    /** Where the current frame began in this chunk (0 when it began in an earlier chunk). */
    let frameStart = 0;
    const n = chunk.length;
    const eachFrame = this.sink.authRequired();
    if (this.state !== State.Boundary) this.wholeFrame = false;
    while (pos < n && !this.stopped) {
      switch (this.state) {
        case State.Boundary: {
          frameStart = pos;
          if (chunk[pos] === 0x2a /* '*' */) {
            this.wholeFrame = true;
            this.wholeFrameArgs = 0;
            this.state = State.CountLine;
            this.frameBytes = 0;
            pos++;
            this.frameBytes++;
          } else {
            // An inline command: everything validated before it goes to redis-parser first.
            this.handOver(chunk, segmentStart, pos);
            segmentStart = pos;
            this.state = State.Inline;
          }
          break;
        }
        case State.CountLine:
        case State.BulkLine: {
          const end = this.readLine(chunk, pos, CR);
          if (end === -1) {
            this.wholeFrame = false;
            this.frameBytes += n - pos;
            pos = n;
            if (this.pendingBytes > INLINE_MAX_BYTES) {
              this.handOver(chunk, segmentStart, frameStart);
              this.fail(this.state === State.CountLine ? 'too big mbulk count string' : 'too big bulk count string');
              return n;
            }
            break;
          }
          this.frameBytes += end - pos;
          pos = end;
          if (this.skipAfterCr) {
            this.wholeFrame = false;
            break; // wait for the byte after '\r'
          }
          const error = this.state === State.CountLine ? this.onCountLine() : this.onBulkLine();
          if (error !== null) {
            // Commands before the bad frame still run, as in Redis; the bad frame never does.
            this.handOver(chunk, segmentStart, frameStart);
            this.fail(error);
            return n;
          }
          // An empty frame ("*0", "*-1") goes to redis-parser too, which yields [] or null: ignored.
          if ((this.state as State) === State.Boundary) this.frameBytes = 0;
          else if ((this.state as State) === State.BulkBody && this.wholeFrame) {
            this.bulkStarts[this.wholeFrameArgs] = pos;
            this.bulkLengths[this.wholeFrameArgs++] = this.bodyLeft - 2;
          }
          break;
        }
        case State.BulkBody: {
          const take = Math.min(this.bodyLeft, n - pos);
          this.bodyLeft -= take;
          pos += take;
          this.frameBytes += take;
          if (this.bodyLeft > 0) {
            this.wholeFrame = false;
            break;
          }
          if (--this.bulksLeft > 0) {
            this.state = State.BulkLine;
          } else {
            this.state = State.Boundary;
            this.frameBytes = 0;
            if (this.wholeFrame) {
              // The whole frame lies in this chunk and the validator has already found every
              // argument: hand them over directly rather than have redis-parser scan it again.
              this.handOver(chunk, segmentStart, frameStart);
              segmentStart = pos;
              this.emitWholeFrame(chunk);
              if (this.stopped) return n;
            }
            if (eachFrame) {
              // Before authentication each frame runs before the next is judged: an AUTH in a
              // pipeline lifts the limits for the commands after it, as in Redis.
              this.handOver(chunk, segmentStart, pos);
              segmentStart = pos;
              if (!this.sink.authRequired()) {
                // The rest is read afresh, without the limits, as a chunk of its own.
                this.feed(chunk.subarray(pos));
                return n;
              }
            }
          }
          break;
        }
        case State.Inline: {
          const end = this.readLine(chunk, pos, LF);
          if (end === -1) {
            pos = n;
            if (this.pendingBytes > INLINE_MAX_BYTES) {
              this.fail('too big inline request');
              return n;
            }
            segmentStart = n;
            break;
          }
          pos = end;
          segmentStart = pos;
          this.state = State.Boundary;
          this.onInlineLine(this.lineBuf.subarray(this.lineStart, this.lineEnd));
          break;
        }
      }
      if (this.frameBytes > this.limits.queryBufferLimit) {
        this.handOver(chunk, segmentStart, frameStart);
        this.stopped = true;
        this.sink.queryBufferOverflow(this.frameBytes);
        return n;
      }
    }
    return segmentStart;
  }

  /**
   * Find the end of a line. For '\r' lines the terminator is kept out of the line and one more byte
   * is skipped after it, as Redis does. Returns the position after the consumed bytes, or -1 when the
   * chunk ends first (the bytes are kept in `pending`). A complete line is left in lineBuf
   * [lineStart, lineEnd): a view of the chunk itself when it did not span chunks (the common case,
   * with no allocation), else the collected bytes.
   */
  private readLine(chunk: Buffer, pos: number, terminator: number): number {
    if (this.skipAfterCr) {
      this.skipAfterCr = false;
      return pos + 1;
    }
    const at = chunk.indexOf(terminator, pos);
    if (at === -1) {
      this.keep(chunk.subarray(pos));
      return -1;
    }
    if (this.pendingBytes === 0) {
      this.lineBuf = chunk;
      this.lineStart = pos;
      this.lineEnd = at;
    } else {
      this.keep(chunk.subarray(pos, at));
      this.lineBuf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
      this.lineStart = 0;
      this.lineEnd = this.lineBuf.length;
      this.pending = [];
      this.pendingBytes = 0;
    }
    if (terminator === CR) {
      if (at + 1 < chunk.length) return at + 2;
      this.skipAfterCr = true;
      return at + 1;
    }
    return at + 1;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  /** Validate "*<count>" (the '*' already consumed). Returns an error detail or null. */
  private onCountLine(): string | null {
    const count = parseStrictInteger(this.lineBuf, this.lineStart, this.lineEnd);
    if (count === null || count > INT_MAX) return 'invalid multibulk length';
    if (count > UNAUTH_MAX_ARGS && this.sink.authRequired()) return 'unauthenticated multibulk length';
    if (count <= 0) {
      this.state = State.Boundary;
      return null;
    }
    this.bulksLeft = count;
    this.state = State.BulkLine;
    return null;
  }

  /** Validate "$<len>" including its '$'. Returns an error detail or null. */
  private onBulkLine(): string | null {
    const line = this.lineBuf;
    const start = this.lineStart;
    if (start === this.lineEnd || line[start] !== 0x24 /* '$' */) {
      const got = start === this.lineEnd ? '\r' : String.fromCharCode(line[start]!);
      return `expected '$', got '${got}'`;
    }
    const len = parseStrictInteger(line, start + 1, this.lineEnd);
    if (len === null || len < 0 || len > this.limits.protoMaxBulkLen) return 'invalid bulk length';
    if (len > UNAUTH_MAX_BULK_BYTES && this.sink.authRequired()) return 'unauthenticated bulk length';
    this.bodyLeft = len + 2;
    this.state = State.BulkBody;
    return null;
  }

  private onInlineLine(line: Buffer): void {
    let end = line.length;
    if (end > 0 && line[end - 1] === CR) end--;
    const argv = splitInlineArgs(line.subarray(0, end));
    if (argv === null) {
      this.fail('unbalanced quotes in request');
      return;
    }
    if (argv.length > 0) this.sink.command(argv);
  }

  private emitWholeFrame(chunk: Buffer): void {
    const count = this.wholeFrameArgs;
    const argv = new Array<Buffer>(count);
    for (let i = 0; i < count; i++) {
      const start = this.bulkStarts[i]!;
      argv[i] = chunk.subarray(start, start + this.bulkLengths[i]!);
    }
    this.sink.command(argv);
  }

  /** Hand a validated byte range to redis-parser, which calls onFrame for each complete frame. */
  private handOver(chunk: Buffer, from: number, to: number): void {
    if (to > from) this.parser.execute(chunk.subarray(from, to));
  }

  private onFrame(reply: unknown): void {
    if (this.stopped) return;
    if (Array.isArray(reply) && reply.length > 0) this.sink.command(reply as Buffer[]);
  }

  private fail(detail: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sink.protocolError(detail);
  }
}

/**
 * Redis's string2ll over line[from..]: optional '-', no '+', no leading zeros ("0" alone is fine),
 * digits only. Returns null when the text is not such a number or does not fit a safe integer.
 */
export function parseStrictInteger(line: Buffer, from: number, to: number = line.length): number | null {
  let i = from;
  const n = to;
  if (i >= n) return null;
  if (n - i === 1 && line[i] === 0x30) return 0;
  let negative = false;
  if (line[i] === 0x2d) {
    negative = true;
    i++;
    if (i >= n) return null;
  }
  const first = line[i]!;
  if (first < 0x31 || first > 0x39) return null;
  let value = 0;
  for (; i < n; i++) {
    const c = line[i]!;
    if (c < 0x30 || c > 0x39) return null;
    value = value * 10 + (c - 0x30);
    if (value > Number.MAX_SAFE_INTEGER) return null;
  }
  return negative ? -value : value;
}
