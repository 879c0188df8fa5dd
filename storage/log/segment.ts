// Segment files: `<dir>/log/<20-digit baseOffset>.seg`, each holding the frames whose first byte has
// global offset baseOffset + position. Segments are contiguous: a segment's baseOffset is the
// previous one's baseOffset plus its size. The global byte offset is the replication offset.
//
// Also the sequential frame reader shared by recovery, the check tool and Log.readFrom, and the
// resynchronising scan that looks for valid frames after a bad one.

import { join } from 'node:path';
import type { FileSystem } from '../fs';
import { checkFrame, decodeRecordPayload, FRAME_HEADER_BYTES, RecordFormatError } from './frame';

export const SEGMENT_SUFFIX = '.seg';
const NAME = /^(\d{20})\.seg$/;

export function segmentFileName(baseOffset: number): string {
  if (!Number.isSafeInteger(baseOffset) || baseOffset < 0) throw new RangeError(`bad segment base offset ${baseOffset}`);
  return String(baseOffset).padStart(20, '0') + SEGMENT_SUFFIX;
}

/** The base offset a segment file name encodes, or null for any other file. */
export function parseSegmentFileName(name: string): number | null {
  const m = NAME.exec(name);
  if (m === null) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

export interface SegmentFile {
  /** Global offset of the segment's first byte. */
  readonly baseOffset: number;
  readonly path: string;
  /** Size of the file when listed. */
  readonly sizeBytes: number;
}

/** The segment files of a log directory, by base offset. Other files are ignored. */
export function listSegments(fs: FileSystem, logDir: string): SegmentFile[] {
  const out: SegmentFile[] = [];
  for (const name of fs.readdir(logDir)) {
    const baseOffset = parseSegmentFileName(name);
    if (baseOffset === null) continue;
    const path = join(logDir, name);
    const st = fs.stat(path);
    if (st === null || st.isDirectory) continue;
    out.push({ baseOffset, path, sizeBytes: st.size });
  }
  return out.sort((a, b) => a.baseOffset - b.baseOffset);
}

/** One step of reading a segment. */
export type SegmentStep =
  /** A frame with a good checksum; `payload` is valid until the next call to next(). */
  | { readonly kind: 'frame'; readonly position: number; readonly frameBytes: number; readonly payload: Buffer }
  /** Clean end: the position is exactly the end of the readable bytes. */
  | { readonly kind: 'end'; readonly position: number }
  /** Not a whole valid frame at `position`: torn (runs past the end) or bad (length/checksum). */
  | { readonly kind: 'bad'; readonly position: number; readonly reason: string };

/** A step of nextRaw(): a frame's payload is buf[payloadStart, payloadEnd), valid until the next call. */
export type RawSegmentStep =
  | {
      readonly kind: 'frame';
      readonly position: number;
      readonly frameBytes: number;
      readonly buf: Buffer;
      readonly payloadStart: number;
      readonly payloadEnd: number;
    }
  | Exclude<SegmentStep, { kind: 'frame' }>;

const READ_CHUNK_BYTES = 1 << 20;

/** Reads frames from a segment file sequentially through a buffer, with bounded reads. */
export class SegmentReader {
  private buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  /** File position of buf[0]. */
  private bufPos: number;
  /** Valid bytes in buf. */
  private bufLen = 0;
  private position: number;

  /** Reads [startPosition, endPosition) of an open file. */
  constructor(
    private readonly fs: FileSystem,
    private readonly fd: number,
    startPosition: number,
    private readonly endPosition: number,
  ) {
    this.bufPos = startPosition;
    this.position = startPosition;
  }

  next(): SegmentStep {
    const step = this.nextRaw();
    if (step.kind !== 'frame') return step;
    return {
      kind: 'frame',
      position: step.position,
      frameBytes: step.frameBytes,
      payload: step.buf.subarray(step.payloadStart, step.payloadEnd),
    };
  }

  /** next() without making a Buffer of the payload (recovery decodes it where it lies). */
  nextRaw(): RawSegmentStep {
    const at = this.position;
    if (at >= this.endPosition) return { kind: 'end', position: at };
    for (;;) {
      const rel = at - this.bufPos;
      const check = checkFrame(this.buf, rel, this.bufLen);
      if (check.kind === 'ok') {
        this.position = at + check.frameBytes;
        return {
          kind: 'frame',
          position: at,
          frameBytes: check.frameBytes,
          buf: this.buf,
          payloadStart: check.payloadStart,
          payloadEnd: check.payloadStart + check.payloadBytes,
        };
      }
      if (check.kind === 'bad') return { kind: 'bad', position: at, reason: check.reason };
      // Short in the buffer: read more if the file has it, else the frame is torn.
      if (at + check.needBytes > this.endPosition) {
        const remain = this.endPosition - at;
        return {
          kind: 'bad',
          position: at,
          reason:
            remain < FRAME_HEADER_BYTES
              ? `torn frame header (${remain} of ${FRAME_HEADER_BYTES} bytes)`
              : `torn frame (${remain} of ${check.needBytes} bytes)`,
        };
      }
      this.fill(at, check.needBytes);
    }
  }

  /** Make buf hold at least `need` bytes starting at file position `at`. */
  private fill(at: number, need: number): void {
    const keep = this.bufPos + this.bufLen - at;
    const want = Math.max(need, READ_CHUNK_BYTES);
    if (want > this.buf.length) {
      const bigger = Buffer.allocUnsafe(want);
      this.buf.copy(bigger, 0, at - this.bufPos, at - this.bufPos + keep);
      this.buf = bigger;
    } else {
      this.buf.copy(this.buf, 0, at - this.bufPos, at - this.bufPos + keep);
    }
    this.bufPos = at;
    this.bufLen = keep;
    const toRead = Math.min(this.buf.length - this.bufLen, this.endPosition - (this.bufPos + this.bufLen));
    let done = 0;
    while (done < toRead) {
      const n = this.fs.read(this.fd, this.buf, this.bufLen + done, toRead - done, this.bufPos + this.bufLen + done);
      if (n === 0) break;
      done += n;
    }
    this.bufLen += done;
    if (this.bufLen < need) {
      // The file shrank under us (or lied about its size): treat what is missing as absent.
      throw new Error(`segment read short at position ${this.bufPos + this.bufLen}: file changed while reading`);
    }
  }
}

/** A valid record found after a bad frame. */
export interface FrameAfterDamage {
  readonly position: number;
  readonly frameBytes: number;
  readonly durableOffset: number;
}

/**
 * Every valid record in [from, end) of a segment, found by trying each byte position as a frame
 * start (the length field at a bad frame cannot be trusted to find the next one), then following
 * frames from each one found. A candidate counts only when its checksum matches *and* its payload
 * decodes as a record, so random bytes are not mistaken for one.
 */
export function findFramesAfterDamage(fs: FileSystem, fd: number, from: number, end: number): FrameAfterDamage[] {
  const length = Math.max(0, end - from);
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.read(fd, buf, done, length - done, from + done);
    if (n === 0) break;
    done += n;
  }
  const found: FrameAfterDamage[] = [];
  let p = 1; // the bad frame itself starts at 0
  while (p + FRAME_HEADER_BYTES < done) {
    const check = checkFrame(buf, p, done);
    if (check.kind === 'ok') {
      try {
        const record = decodeRecordPayload(buf.subarray(check.payloadStart, check.payloadStart + check.payloadBytes));
        found.push({ position: from + p, frameBytes: check.frameBytes, durableOffset: record.durableOffset });
        p += check.frameBytes;
        continue;
      } catch (err) {
        if (!(err instanceof RecordFormatError)) throw err;
      }
    }
    p++;
  }
  return found;
}
