// Scanning a log directory: segment continuity, every frame from a start offset, and at the first
// damaged frame the decision recovery and the check tool both rely on — is it a torn tail (an
// interrupted write, dropped automatically) or damage to data that had been durable (refuse, and
// let a human run `sluice-check-log --fix`)?
//
// The rules:
//  1. Damage in a segment other than the last is never a torn write: a segment is fdatasync'd
//     before the next one is created (Log.roll), so it was complete on disk. Refuse.
//  2. A gap or overlap between segments (a base offset that is not the previous end) is damage.
//  3. Damage at offset C in the last segment is a torn tail unless a valid record after it claims
//     durableOffset > C (frame.ts): that record was written after C had been fdatasync'd, so C was
//     acknowledged data that went bad. Valid records after a torn point that make no such claim
//     were never known durable (the OS may persist the pages of an unsynced write in any order)
//     and are dropped with it.
//  4. A frame whose checksum is right but whose payload this version cannot decode is never
//     dropped automatically (it may come from a newer Sluice).

import type { Effect } from '../effects';
import type { FileSystem } from '../fs';
import { decodeRecordPayloadAt, RecordFormatError } from './frame';
import { findFramesAfterDamage, listSegments, SegmentReader, type SegmentFile } from './segment';

/** The log cannot be opened as it is; the message says what to do. */
export class CorruptLogError extends Error {
  override readonly name = 'CorruptLogError';
  constructor(
    /** Global offset of the damaged frame. */
    readonly offset: number,
    readonly segmentPath: string,
    /** Position of the damaged frame in its segment. */
    readonly position: number,
    readonly reason: string,
    /** What was being done: 'recovery' adds the advice to run the check tool. */
    context: 'recovery' | 'read' = 'recovery',
  ) {
    super(
      `log damaged at offset ${offset} (${segmentPath} position ${position}): ${reason}` +
        (context === 'recovery'
          ? `. Refusing to start: valid data follows the damage, so dropping it could lose acknowledged writes. ` +
            `Inspect with 'sluice-check-log <dir>'; 'sluice-check-log --fix <dir>' truncates the log at the damage ` +
            `(losing everything after it), or restore the data directory from a backup.`
          : ''),
    );
  }
}

/** What one segment held. */
export interface SegmentScan {
  readonly baseOffset: number;
  readonly path: string;
  readonly sizeBytes: number;
  /** Whether its frames were read (segments wholly before the start offset are only listed). */
  scanned: boolean;
  /** Valid records read. */
  records: number;
  /** Global offset just past the last valid record read (baseOffset when none). */
  validEndOffset: number;
}

export interface LogDamage {
  /** 'frame': torn or bad frame; 'gap': segments not contiguous; 'format': undecodable record. */
  readonly kind: 'frame' | 'gap' | 'format';
  /** Global offset where valid data ends: the log would be truncated here. */
  readonly offset: number;
  readonly segmentIndex: number;
  readonly segmentPath: string;
  readonly position: number;
  readonly reason: string;
  /** Bytes from `offset` to the end of the log (rest of this segment plus later segments). */
  readonly bytesAfter: number;
  /** Valid records found after the damage in its segment (later segments are not searched). */
  readonly recordsAfter: number;
  /** Largest durableOffset claimed by a valid record after the damage, or -1. */
  readonly maxDurableClaimAfter: number;
  /** Whether recovery may drop it on its own (a torn tail). */
  readonly isTornTail: boolean;
  /** Why it is not a torn tail (when it is not). */
  readonly whyNotTornTail: string | null;
}

export interface LogScan {
  readonly logDir: string;
  readonly segments: SegmentScan[];
  /** Where the scan started. */
  readonly startOffset: number;
  /** Global offset just past the last valid record (the log end once damage is cut off). */
  readonly validEndOffset: number;
  /** Valid records holding effects. */
  readonly records: number;
  /** Valid durability markers (empty records written at clean shutdown). */
  readonly markers: number;
  /** Bytes of frames read. */
  readonly bytes: number;
  readonly damage: LogDamage | null;
  /** Whether the last valid record is a durability marker (an empty record claiming its own offset). */
  readonly tailProtected: boolean;
}

/** Called with each record holding effects (durability markers, which hold none, are skipped). */
export type RecordCallback = (effects: Effect[], offset: number, endOffset: number) => void;

/**
 * Scan the segments of `logDir` from `startOffset`, calling `onRecord` for each valid record in
 * order, up to the first damage. The start offset must lie within the segments (from the first
 * base to the last segment's end); segments before it are checked for continuity only.
 */
export function scanLog(fs: FileSystem, logDir: string, startOffset: number, onRecord?: RecordCallback): LogScan {
  const files = listSegments(fs, logDir);
  const segments: SegmentScan[] = files.map((f) => ({
    baseOffset: f.baseOffset,
    path: f.path,
    sizeBytes: f.sizeBytes,
    scanned: false,
    records: 0,
    validEndOffset: f.baseOffset,
  }));
  let records = 0;
  let markers = 0;
  let bytes = 0;
  let tailProtected = false;
  const done = (validEndOffset: number, damage: LogDamage | null): LogScan => ({
    logDir,
    segments,
    startOffset,
    validEndOffset,
    records,
    markers,
    bytes,
    damage,
    tailProtected: damage === null && tailProtected,
  });
  if (files.length === 0) return done(startOffset, null);

  const last = files.length - 1;
  const first = files.findIndex((f, i) => startOffset >= f.baseOffset && (i === last || startOffset < files[i + 1]!.baseOffset));
  if (first < 0) throw new RangeError(`start offset ${startOffset} is before the log's first segment (${files[0]!.baseOffset})`);

  for (let i = first; i < files.length; i++) {
    const file = files[i]!;
    const seg = segments[i]!;
    seg.scanned = true;
    const from = i === first ? startOffset - file.baseOffset : 0;
    seg.validEndOffset = file.baseOffset + from;
    if (from > file.sizeBytes) {
      throw new RangeError(`start offset ${startOffset} is past the end of ${file.path} (${file.baseOffset + file.sizeBytes})`);
    }
    const fd = fs.open(file.path, 'read');
    let damage: LogDamage | null = null;
    try {
      const reader = new SegmentReader(fs, fd, from, file.sizeBytes);
      for (;;) {
        const step = reader.nextRaw();
        if (step.kind === 'end') break;
        if (step.kind === 'bad') {
          damage = frameDamage(fs, fd, files, i, step.position, step.reason);
          break;
        }
        let decoded;
        try {
          decoded = decodeRecordPayloadAt(step.buf, step.payloadStart, step.payloadEnd);
        } catch (err) {
          if (!(err instanceof RecordFormatError)) throw err;
          damage = {
            kind: 'format',
            offset: file.baseOffset + step.position,
            segmentIndex: i,
            segmentPath: file.path,
            position: step.position,
            reason: err.message,
            bytesAfter: bytesFrom(files, i, step.position),
            recordsAfter: 0,
            maxDurableClaimAfter: -1,
            isTornTail: false,
            whyNotTornTail: 'the record has a valid checksum but cannot be decoded by this version',
          };
          break;
        }
        const offset = file.baseOffset + step.position;
        const endOffset = offset + step.frameBytes;
        tailProtected = decoded.effects.length === 0 && decoded.durableOffset === offset;
        if (onRecord !== undefined && decoded.effects.length > 0) {
          try {
            onRecord(decoded.effects, offset, endOffset);
          } catch (err) {
            const wrapped = new Error(`replaying the record at log offset ${offset}: ${(err as Error).message}`);
            (wrapped as { cause?: unknown }).cause = err;
            throw wrapped;
          }
        }
        if (decoded.effects.length > 0) {
          seg.records++;
          records++;
        } else {
          markers++;
        }
        seg.validEndOffset = endOffset;
        bytes += step.frameBytes;
      }
    } finally {
      fs.close(fd);
    }
    if (damage !== null) return done(seg.validEndOffset, damage);
    // Continuity with the next segment.
    if (i < last) {
      const end = file.baseOffset + file.sizeBytes;
      const next = files[i + 1]!;
      if (next.baseOffset !== end) {
        return done(end, {
          kind: 'gap',
          offset: end,
          segmentIndex: i + 1,
          segmentPath: next.path,
          position: 0,
          reason:
            next.baseOffset > end
              ? `segment ${next.baseOffset} starts after the previous one ends (${end}): ${next.baseOffset - end} bytes are missing`
              : `segment ${next.baseOffset} overlaps the previous one, which ends at ${end}`,
          bytesAfter: bytesFrom(files, i + 1, 0),
          recordsAfter: 0,
          maxDurableClaimAfter: -1,
          isTornTail: false,
          whyNotTornTail: 'segments must be contiguous',
        });
      }
    }
  }
  const lastFile = files[last]!;
  return done(lastFile.baseOffset + lastFile.sizeBytes, null);
}

function bytesFrom(files: readonly SegmentFile[], index: number, position: number): number {
  let n = files[index]!.sizeBytes - position;
  for (let j = index + 1; j < files.length; j++) n += files[j]!.sizeBytes;
  return n;
}

function frameDamage(
  fs: FileSystem,
  fd: number,
  files: readonly SegmentFile[],
  index: number,
  position: number,
  reason: string,
): LogDamage {
  const file = files[index]!;
  const offset = file.baseOffset + position;
  const after = findFramesAfterDamage(fs, fd, position, file.sizeBytes);
  const maxClaim = after.reduce((m, f) => Math.max(m, f.durableOffset), -1);
  let why: string | null = null;
  if (index !== files.length - 1) {
    why = `it is in segment ${file.baseOffset}, not the last one (segments are synced before the next is created)`;
  } else if (maxClaim > offset) {
    why = `a valid record after it was written when the log was durable up to offset ${maxClaim}`;
  }
  return {
    kind: 'frame',
    offset,
    segmentIndex: index,
    segmentPath: file.path,
    position,
    reason,
    bytesAfter: bytesFrom(files, index, position),
    recordsAfter: after.length,
    maxDurableClaimAfter: maxClaim,
    isTornTail: why === null,
    whyNotTornTail: why,
  };
}
