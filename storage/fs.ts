// The file-system seam: the few file operations the durable log, its lock and snapshots need, as
// an interface. `nodeFileSystem` is the real one (node:fs); test/support/faulty-fs.ts is an
// in-memory one that tears writes, fails fsyncs, loses unsynced bytes at a simulated crash and flips
// bits, driven by a printed seed. Nothing in storage/log touches node:fs directly.
//
// Why most calls are synchronous and only fdatasync is asynchronous:
// - A write of one turn's records goes to the page cache: a memcpy plus a syscall, microseconds.
//   Doing it synchronously at the end of the turn keeps the file's order the order of the turns,
//   makes a write error known before any reply of that turn can leave, and costs less than a trip
//   through libuv's thread pool (which would also need its own queue to keep writes ordered).
// - fdatasync waits for the device (about 255 µs on the development machine, milliseconds on
//   rotating or networked disks). Blocking the event loop for that would stop every other client
//   for the whole duration, once per turn. So it runs on the thread pool: while one fdatasync is in
//   flight the server keeps parsing and executing the next turn's commands, whose records are
//   written (synchronously) meanwhile and covered by the next fdatasync. Replies wait on a promise
//   that resolves when an fdatasync that started after their records were written has completed.
//   Turns that complete while an fdatasync is in flight share the next one: at most one fdatasync
//   per turn, usually fewer under load.
// - The rare metadata operations (segment roll, directory fsync, rename, recovery reads at start)
//   are synchronous: they happen once per segment or at start-up, where ordering matters more than
//   a few hundred microseconds of loop time. `fdatasyncSync` exists for the segment roll and close.

import * as nodeFs from 'node:fs';

/** How a file is opened. */
export type OpenMode =
  /** Read only; the file must exist. */
  | 'read'
  /** Read and write; the file must exist. */
  | 'readwrite'
  /** Read and write, creating the file when missing. */
  | 'create'
  /** Read and write, failing with EEXIST when the file already exists (lock files, new segments). */
  | 'createExclusive';

export interface FileStat {
  /** Size in bytes (files) or an unspecified number (directories). */
  readonly size: number;
  readonly isDirectory: boolean;
}

/**
 * Every operation throws a NodeJS.ErrnoException-like error (with `code`) on failure, as node:fs
 * does. Positions are absolute: the log tracks its own write position and never relies on O_APPEND,
 * so rewriting after a failed write lands on the same bytes.
 */
export interface FileSystem {
  open(path: string, mode: OpenMode): number;
  close(fd: number): void;
  /**
   * Write all of `data` at `position` (looping over short writes). On failure throws; the error's
   * `bytesWritten` tells how many bytes did reach the file before it (a torn write).
   */
  write(fd: number, data: Uint8Array, position: number): void;
  /** Read up to `length` bytes at `position` into buffer[offset..]; returns the count (0 at end of file). */
  read(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** Make the file's data (and the size needed to read it) durable; runs off the event loop. */
  fdatasync(fd: number): Promise<void>;
  /** The same, blocking: for segment rolls and shutdown. */
  fdatasyncSync(fd: number): void;
  ftruncate(fd: number, length: number): void;
  /** Current size of an open file. */
  fsize(fd: number): number;
  /** null when nothing exists at `path`. */
  stat(path: string): FileStat | null;
  /** Names in a directory (not paths), in no particular order. */
  readdir(path: string): string[];
  /** Create a directory and any missing parents. */
  mkdir(path: string): void;
  /** Atomically replace `to` with `from` (same file system). Durable after fsyncDir of the directory. */
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /**
   * The same, off the event loop: removing a 64 MiB segment takes about 15 ms of the calling thread
   * (ext4 frees its extents), too long a pause for a server that answers in microseconds.
   */
  unlinkAsync(path: string): Promise<void>;
  /** Make a directory's entries (created, renamed, removed files) durable. */
  fsyncDir(path: string): void;
}

/** Writes with a torn prefix carry how many bytes reached the file. */
export interface WriteError extends NodeJS.ErrnoException {
  bytesWritten?: number;
}

export const nodeFileSystem: FileSystem = {
  open(path, mode) {
    // Never O_APPEND: the log writes at explicit positions.
    const c = nodeFs.constants;
    const flags =
      mode === 'read'
        ? c.O_RDONLY
        : mode === 'readwrite'
          ? c.O_RDWR
          : mode === 'create'
            ? c.O_RDWR | c.O_CREAT
            : c.O_RDWR | c.O_CREAT | c.O_EXCL;
    return nodeFs.openSync(path, flags, 0o644);
  },
  close(fd) {
    nodeFs.closeSync(fd);
  },
  write(fd, data, position) {
    let done = 0;
    try {
      while (done < data.length) {
        done += nodeFs.writeSync(fd, data, done, data.length - done, position + done);
      }
    } catch (err) {
      (err as WriteError).bytesWritten = done;
      throw err;
    }
  },
  read(fd, buffer, offset, length, position) {
    return nodeFs.readSync(fd, buffer, offset, length, position);
  },
  fdatasync(fd) {
    return new Promise((resolve, reject) => nodeFs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  },
  fdatasyncSync(fd) {
    nodeFs.fdatasyncSync(fd);
  },
  ftruncate(fd, length) {
    nodeFs.ftruncateSync(fd, length);
  },
  fsize(fd) {
    return nodeFs.fstatSync(fd).size;
  },
  stat(path) {
    try {
      const s = nodeFs.statSync(path);
      return { size: s.size, isDirectory: s.isDirectory() };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  },
  readdir(path) {
    return nodeFs.readdirSync(path);
  },
  mkdir(path) {
    nodeFs.mkdirSync(path, { recursive: true });
  },
  rename(from, to) {
    nodeFs.renameSync(from, to);
  },
  unlink(path) {
    nodeFs.unlinkSync(path);
  },
  unlinkAsync(path) {
    return new Promise((resolve, reject) => nodeFs.unlink(path, (err) => (err ? reject(err) : resolve())));
  },
  fsyncDir(path) {
    const fd = nodeFs.openSync(path, 'r');
    try {
      nodeFs.fsyncSync(fd);
    } finally {
      nodeFs.closeSync(fd);
    }
  },
};

/** Read a whole (small) file: lock files, snapshot headers. */
export function readWholeFile(fs: FileSystem, path: string): Buffer {
  const fd = fs.open(path, 'read');
  try {
    const size = fs.fsize(fd);
    const buf = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const n = fs.read(fd, buf, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  } finally {
    fs.close(fd);
  }
}

/** An errno-style error, for the faulty file system and for checks that mimic the OS. */
export function errnoError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: ${syscall}${path !== undefined ? ` '${path}'` : ''}`) as NodeJS.ErrnoException;
  err.code = code;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  return err;
}
