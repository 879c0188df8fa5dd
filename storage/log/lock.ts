// One server per data directory: `<dir>/sluice.lock` holds the pid of the process using it,
// created with O_EXCL. A lock whose pid is no longer running is stale (the holder crashed) and is
// taken over. Acquire it before loading a snapshot or opening the log; release it last at shutdown.
//
// Limits: Node has no flock(), so two processes starting at the same instant on a directory with a
// *stale* lock could both take it over (each removes the stale file, one creates, the other may
// remove that one). A pid reused by an unrelated process makes a stale lock look live; the error
// names the pid and the file so an operator can check and remove it.

import { join } from 'node:path';
import { nodeFileSystem, readWholeFile, type FileSystem } from '../fs';

export const LOCK_FILE_NAME = 'sluice.lock';

export class DirLockedError extends Error {
  override readonly name = 'DirLockedError';
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(
      `data directory is in use by process ${pid} (lock file ${path}); ` +
        `stop that server first, or remove the file if no Sluice runs with that pid`,
    );
  }
}

export interface DirLock {
  readonly path: string;
  readonly pid: number;
  /** Remove the lock file if it is still ours. */
  release(): void;
}

export interface LockOptions {
  readonly fs?: FileSystem;
  /** Our pid (default process.pid). */
  readonly pid?: number;
  /** Whether a pid is a running process (default: signal 0; our own pid counts as running). */
  readonly isAlive?: (pid: number) => boolean;
}

export function pidIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a lock file, or null when it holds none (a crash between create and write). */
export function readLockPid(fs: FileSystem, path: string): number | null {
  let text: string;
  try {
    text = readWholeFile(fs, path).toString('latin1');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

export function acquireDirLock(dir: string, options: LockOptions = {}): DirLock {
  const fs = options.fs ?? nodeFileSystem;
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? pidIsAlive;
  const path = join(dir, LOCK_FILE_NAME);
  if (fs.stat(dir) === null) fs.mkdir(dir);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = fs.open(path, 'createExclusive');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLockPid(fs, path);
      if (holder !== null && isAlive(holder)) throw new DirLockedError(path, holder);
      try {
        fs.unlink(path); // stale: its process is gone
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      continue;
    }
    try {
      fs.write(fd, Buffer.from(`${pid}\n`, 'latin1'), 0);
    } finally {
      fs.close(fd);
    }
    return {
      path,
      pid,
      release() {
        if (readLockPid(fs, path) === pid) fs.unlink(path);
      },
    };
  }
  throw new Error(`could not take the lock ${path}: it keeps changing (another server starting?)`);
}
