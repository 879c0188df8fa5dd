// sluice-check-log: report a log's segments, records, offsets and health, and with --fix truncate
// it at the first damage (like redis-check-aof --fix). The command-line wrapper is check-cli.ts; the
// logic lives here so tests can run it against the faulty file system.

import { join } from 'node:path';
import { nodeFileSystem, type FileSystem } from '../fs';
import { acquireDirLock, DirLockedError, LOCK_FILE_NAME, pidIsAlive, readLockPid } from './lock';
import { scanLog, type LogScan } from './scan';
import { listSegments } from './segment';

export const USAGE = `usage: sluice-check-log <dir> [--fix] [--yes]

  <dir>   the server's data directory (its log/ folder is read) or a log folder itself
  --fix   truncate the log at the first damaged record, after printing what would be dropped
  --yes   do not ask for confirmation (non-interactive --fix)

Exit status: 0 the log is healthy (or was fixed), 1 damage was found and left as is, 2 error.`;

/** Scan a whole log folder (from its first segment) without changing anything. */
export function checkLog(fs: FileSystem, logDir: string): LogScan {
  const segments = listSegments(fs, logDir);
  return scanLog(fs, logDir, segments.length > 0 ? segments[0]!.baseOffset : 0);
}

export interface FixPlan {
  /** The log will end here. */
  readonly truncateAtOffset: number;
  readonly droppedBytes: number;
  readonly droppedRecords: number;
  /** Whole segment files to delete. */
  readonly deleteSegments: readonly string[];
  /** The segment to cut, and where (null when only whole segments go). */
  readonly truncateSegment: { readonly path: string; readonly position: number } | null;
}

/** What --fix would do, or null when there is nothing to fix. Throws when it must not (format). */
export function planFix(scan: LogScan): FixPlan | null {
  const damage = scan.damage;
  if (damage === null) return null;
  if (damage.kind === 'format') {
    throw new Error(
      `the record at offset ${damage.offset} has a valid checksum but cannot be decoded (${damage.reason}); ` +
        `it may come from a newer Sluice, so --fix will not drop it`,
    );
  }
  const later = scan.segments.slice(damage.segmentIndex + 1);
  const deleteSegments = later.map((s) => s.path);
  let truncateSegment: FixPlan['truncateSegment'] = null;
  if (damage.kind === 'gap') deleteSegments.unshift(damage.segmentPath);
  else truncateSegment = { path: damage.segmentPath, position: damage.position };
  return {
    truncateAtOffset: damage.offset,
    droppedBytes: damage.bytesAfter,
    droppedRecords: damage.recordsAfter,
    deleteSegments,
    truncateSegment,
  };
}

/** Carry out a plan: delete later segments (newest first), then cut the damaged one; all synced. */
export function applyFix(fs: FileSystem, logDir: string, plan: FixPlan): void {
  for (const path of [...plan.deleteSegments].reverse()) fs.unlink(path);
  if (plan.deleteSegments.length > 0) fs.fsyncDir(logDir);
  if (plan.truncateSegment !== null) {
    const fd = fs.open(plan.truncateSegment.path, 'readwrite');
    try {
      fs.ftruncate(fd, plan.truncateSegment.position);
      fs.fdatasyncSync(fd);
    } finally {
      fs.close(fd);
    }
  }
}

export function describeScan(scan: LogScan): string[] {
  const lines: string[] = [`log directory: ${scan.logDir}`];
  if (scan.segments.length === 0) {
    lines.push('no segments: the log is empty');
    return lines;
  }
  for (const s of scan.segments) {
    const name = s.path.slice(s.path.lastIndexOf('/') + 1);
    const state =
      scan.damage !== null && scan.damage.segmentIndex === scan.segments.indexOf(s)
        ? 'DAMAGED'
        : s.scanned
          ? 'ok'
          : 'not read';
    lines.push(
      `segment ${name}  base ${s.baseOffset}  ${s.sizeBytes} bytes  ${s.records} records  valid to ${s.validEndOffset}  ${state}`,
    );
  }
  const first = scan.segments[0]!.baseOffset;
  lines.push(
    `records: ${scan.records}  durability markers: ${scan.markers}  bytes: ${scan.bytes}  ` +
      `offsets: ${first}..${scan.validEndOffset}`,
  );
  const d = scan.damage;
  if (d === null) {
    lines.push('health: OK');
  } else if (d.isTornTail) {
    lines.push(
      `health: TORN TAIL at offset ${d.offset} (${d.segmentPath} position ${d.position}: ${d.reason}); ` +
        `${d.bytesAfter} bytes (${d.recordsAfter} records never known durable) follow it. ` +
        `The server drops them by itself at start; --fix does the same now.`,
    );
  } else {
    lines.push(
      `health: DAMAGED at offset ${d.offset} (${d.segmentPath} position ${d.position}: ${d.reason}); ` +
        `not a torn tail: ${d.whyNotTornTail}. ${d.bytesAfter} bytes (${d.recordsAfter} valid records in that ` +
        `segment) follow it. The server refuses to start until --fix truncates the log here.`,
    );
  }
  return lines;
}

export interface CliIo {
  readonly fs?: FileSystem;
  out(line: string): void;
  err(line: string): void;
  /** Ask a yes/no question; null when there is no one to ask (not a terminal). */
  confirm(question: string): Promise<boolean | null>;
  readonly isAlive?: (pid: number) => boolean;
}

/** Run the tool; resolves to the exit status. */
export async function runCheckCli(argv: readonly string[], io: CliIo): Promise<number> {
  const fs = io.fs ?? nodeFileSystem;
  const isAlive = io.isAlive ?? pidIsAlive;
  const flags = new Set(argv.filter((a) => a.startsWith('-')));
  const paths = argv.filter((a) => !a.startsWith('-'));
  for (const f of flags) {
    if (f === '-h' || f === '--help') {
      io.out(USAGE);
      return 0;
    }
    if (f !== '--fix' && f !== '--yes') {
      io.err(`unknown option ${f}\n${USAGE}`);
      return 2;
    }
  }
  if (paths.length !== 1) {
    io.err(USAGE);
    return 2;
  }
  const given = paths[0]!;
  const st = fs.stat(given);
  if (st === null || !st.isDirectory) {
    io.err(`${given}: no such directory`);
    return 2;
  }
  // A data directory holds log/; a log folder holds the segments.
  const inner = join(given, 'log');
  const innerStat = fs.stat(inner);
  const logDir = innerStat !== null && innerStat.isDirectory ? inner : given;
  const dataDir = logDir === inner ? given : join(given, '..');

  const lockPid = readLockPid(fs, join(dataDir, LOCK_FILE_NAME));
  const live = lockPid !== null && isAlive(lockPid);
  if (live) io.out(`note: a server (pid ${lockPid}) is using this directory; its newest records may be in flight`);

  let scan: LogScan;
  try {
    scan = checkLog(fs, logDir);
  } catch (err) {
    io.err(`cannot read the log: ${(err as Error).message}`);
    return 2;
  }
  for (const line of describeScan(scan)) io.out(line);
  if (scan.damage === null) return 0;
  if (!flags.has('--fix')) return 1;

  let plan: FixPlan | null;
  try {
    plan = planFix(scan);
  } catch (err) {
    io.err((err as Error).message);
    return 1;
  }
  if (plan === null) return 0;
  io.out(
    `fix: truncate the log at offset ${plan.truncateAtOffset}, dropping ${plan.droppedBytes} bytes ` +
      `(${plan.droppedRecords} records with valid checksums in the damaged segment` +
      (plan.deleteSegments.length > 0 ? `, and ${plan.deleteSegments.length} whole segment file(s)` : '') +
      `)`,
  );
  if (!flags.has('--yes')) {
    const answer = await io.confirm('Continue? [y/N] ');
    if (answer === null) {
      io.err('not a terminal: pass --yes to confirm the fix');
      return 1;
    }
    if (!answer) {
      io.out('nothing changed');
      return 1;
    }
  }
  let lock;
  try {
    lock = acquireDirLock(dataDir, { fs, isAlive });
  } catch (err) {
    io.err(err instanceof DirLockedError ? `refusing to fix: ${err.message}` : (err as Error).message);
    return 2;
  }
  try {
    applyFix(fs, logDir, plan);
  } catch (err) {
    io.err(`fix failed: ${(err as Error).message}`);
    return 2;
  } finally {
    lock.release();
  }
  const after = checkLog(fs, logDir);
  io.out(`fixed: the log now ends at offset ${after.validEndOffset} (${after.records} records)`);
  if (after.damage !== null) {
    io.err(`still damaged at offset ${after.damage.offset}: ${after.damage.reason}`);
    return 1;
  }
  return 0;
}
