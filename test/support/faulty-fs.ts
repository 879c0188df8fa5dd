// An in-memory FileSystem with the faults real disks have, in the manner of TigerBeetle's and
// FoundationDB's simulators, driven by a seeded random generator so a failing run replays:
//
//  - every file has what the process sees (the page cache) and what is durable (the platter);
//    fdatasync copies the one to the other, and a directory's entries (created, renamed, removed
//    files) are durable only after fsyncDir;
//  - crash('process') is kill -9: the page cache survives, fds die, in-flight fsyncs never return;
//    crash('power') loses what was not durable: per file, all of it, a prefix of it (a torn
//    write), or a random subset of its pages with the rest reading as the old bytes or zeros
//    (writeback in any order), and directory entries revert to their durable state;
//  - scheduled faults: a write failing with ENOSPC/EIO after a torn prefix, a full disk (capacity),
//    a failing fdatasync, writes denied under a path (read-only dir, permission denied);
//  - bit flips in durable data;
//  - counters of every operation (group commit is tested by counting writes and fdatasyncs).

import { posix } from 'node:path';
import { errnoError, type FileStat, type FileSystem, type OpenMode, type WriteError } from '../../storage/fs';
import { seededRandom } from './random';

interface FileNode {
  readonly kind: 'file';
  /** What the process sees: data[0, size). */
  data: Buffer;
  size: number;
  /** What would survive a power loss: durable[0, durableSize). */
  durable: Buffer;
  durableSize: number;
  /** Bumped by every change; durableVersion is the version the durable bytes are a copy of. */
  version: number;
  durableVersion: number;
}

interface DirNode {
  readonly kind: 'dir';
  /** Entries the process sees. */
  entries: Map<string, Node>;
  /** Entries that would survive a power loss. */
  durableEntries: Map<string, Node>;
}

type Node = FileNode | DirNode;

interface OpenFile {
  readonly node: FileNode;
  readonly path: string;
  readonly writable: boolean;
  /** Crash generation the fd belongs to; fds of an earlier one are dead. */
  readonly generation: number;
}

export type CrashKind = 'process' | 'power';
/** How a file's unsynced bytes fare in a power loss. */
export type LossMode = 'lose' | 'prefix' | 'pages' | 'keep';

export interface WriteFault {
  readonly code: 'ENOSPC' | 'EIO' | 'EDQUOT';
  /** Bytes of the write that reach the file before the error ('random': a random prefix). */
  readonly tornBytes?: number | 'random';
}

export interface FsCounts {
  writes: number;
  bytesWritten: number;
  fdatasyncs: number;
  fsyncDirs: number;
  opens: number;
  reads: number;
  truncates: number;
  renames: number;
  unlinks: number;
}

export class FaultyFs implements FileSystem {
  readonly random: () => number;
  private root: DirNode = newDir();
  private readonly fds = new Map<number, OpenFile>();
  private nextFd = 100;
  private generation = 0;
  readonly counts: FsCounts = zeroCounts();

  /** Faults consumed by the next writes, in order. */
  private readonly writeFaults: WriteFault[] = [];
  /** Errors for the next fdatasyncs (async or sync), in order. */
  private readonly fsyncFaults: string[] = [];
  /** Errors for the next ftruncate calls. */
  private readonly truncateFaults: string[] = [];
  /** Errors for the next fsyncDir calls. */
  private readonly dirSyncFaults: string[] = [];
  /** Total bytes the disk holds; writes past it fail with ENOSPC after a partial write. */
  capacityBytes: number | null = null;
  /** Path prefixes under which anything that changes the disk fails with the given code. */
  private readonly denied: Array<{ prefix: string; code: string }> = [];
  /** Unit of writeback at a power loss ('pages' mode): pages persist or not independently. */
  pageBytes = 4096;
  /** When true, async fdatasyncs wait for releaseSyncs(). */
  holdSyncs = false;
  private heldSyncs: Array<() => void> = [];

  constructor(readonly seed: number) {
    this.random = seededRandom(seed);
  }

  // ---- fault controls

  failNextWrite(fault: WriteFault): void {
    this.writeFaults.push(fault);
  }
  failNextFsync(code = 'EIO'): void {
    this.fsyncFaults.push(code);
  }
  failNextTruncate(code = 'EIO'): void {
    this.truncateFaults.push(code);
  }
  failNextDirSync(code = 'EIO'): void {
    this.dirSyncFaults.push(code);
  }
  denyWrites(prefix: string, code = 'EACCES'): void {
    this.denied.push({ prefix: posix.normalize(prefix), code });
  }
  allowWrites(): void {
    this.denied.length = 0;
  }
  /** Complete the held async fdatasyncs (in order). */
  releaseSyncs(): void {
    const held = this.heldSyncs;
    this.heldSyncs = [];
    for (const run of held) run();
  }
  get heldSyncCount(): number {
    return this.heldSyncs.length;
  }
  resetCounts(): void {
    Object.assign(this.counts, zeroCounts());
  }

  /** Make everything durable as it is now (test set-up). */
  persistAll(): void {
    const visit = (dir: DirNode): void => {
      dir.durableEntries = new Map(dir.entries);
      for (const node of dir.entries.values()) {
        if (node.kind === 'dir') visit(node);
        else {
          node.durable = Buffer.from(node.data.subarray(0, node.size));
          node.durableSize = node.size;
          node.durableVersion = node.version;
        }
      }
    };
    visit(this.root);
  }

  /**
   * Simulate a crash. 'process': only the process dies. 'power': unsynced bytes and directory
   * changes are lost as `mode` says (default: chosen at random per file from the seed).
   */
  crash(kind: CrashKind, mode?: LossMode): void {
    this.generation++;
    this.fds.clear();
    this.heldSyncs = [];
    this.writeFaults.length = 0;
    this.fsyncFaults.length = 0;
    this.dirSyncFaults.length = 0;
    this.truncateFaults.length = 0;
    if (kind === 'process') return;
    const visit = (dir: DirNode): void => {
      dir.entries = new Map(dir.durableEntries);
      for (const node of dir.entries.values()) {
        if (node.kind === 'dir') visit(node);
        else this.loseUnsynced(node, mode ?? pick(this.random, ['lose', 'prefix', 'pages', 'keep'] as const));
      }
    };
    visit(this.root);
  }

  private loseUnsynced(f: FileNode, mode: LossMode): void {
    const current = f.data.subarray(0, f.size);
    const durable = f.durable.subarray(0, f.durableSize);
    let result: Buffer;
    switch (mode) {
      case 'keep':
        result = Buffer.from(current);
        break;
      case 'lose':
        result = Buffer.from(durable);
        break;
      case 'prefix': {
        if (f.size > f.durableSize && current.subarray(0, f.durableSize).equals(durable)) {
          const size = f.durableSize + Math.floor(this.random() * (f.size - f.durableSize + 1));
          result = Buffer.from(current.subarray(0, size));
        } else {
          result = Buffer.from(durable);
        }
        break;
      }
      case 'pages': {
        const low = Math.min(f.size, f.durableSize);
        const high = Math.max(f.size, f.durableSize);
        const size = this.random() < 0.5 ? f.size : low + Math.floor(this.random() * (high - low + 1));
        result = Buffer.alloc(size);
        durable.copy(result, 0, 0, Math.min(size, durable.length));
        for (let p = 0; p < size; p += this.pageBytes) {
          const end = Math.min(size, p + this.pageBytes);
          const cur = current.subarray(Math.min(p, current.length), Math.min(end, current.length));
          const old = durable.subarray(Math.min(p, durable.length), Math.min(end, durable.length));
          if (cur.equals(old) && cur.length === end - p) continue;
          if (this.random() < 0.5) {
            result.fill(0, p, end);
            cur.copy(result, p);
          }
        }
        break;
      }
    }
    f.data = result;
    f.size = result.length;
    f.durable = Buffer.from(result);
    f.durableSize = result.length;
    f.version++;
    f.durableVersion = f.version;
  }

  /** Flip one bit of a file, in what the process sees and on disk alike (media corruption). */
  flipBit(path: string, byteOffset: number, bit = 0): void {
    const f = this.fileAt(path, 'flipBit');
    if (byteOffset >= f.size) throw new RangeError(`flip at ${byteOffset} past the end of ${path} (${f.size})`);
    f.data[byteOffset]! ^= 1 << bit;
    if (byteOffset < f.durableSize) f.durable[byteOffset]! ^= 1 << bit;
  }

  /** Cut a file on disk and in the page cache alike (a truncated segment). */
  truncateFile(path: string, size: number): void {
    const f = this.fileAt(path, 'truncate');
    f.size = Math.min(f.size, size);
    f.durableSize = Math.min(f.durableSize, size);
    f.version++;
    f.durableVersion = f.version;
  }

  /** A file's current content (tests). */
  fileContent(path: string): Buffer {
    const f = this.fileAt(path, 'read');
    return Buffer.from(f.data.subarray(0, f.size));
  }

  /** Write a whole file, durably (test set-up). */
  putFile(path: string, content: Buffer): void {
    const { dir, name } = this.parentOf(path, 'open');
    const node: FileNode = {
      kind: 'file',
      data: Buffer.from(content),
      size: content.length,
      durable: Buffer.from(content),
      durableSize: content.length,
      version: 0,
      durableVersion: 0,
    };
    dir.entries.set(name, node);
    dir.durableEntries.set(name, node);
  }

  // ---- FileSystem

  open(path: string, mode: OpenMode): number {
    this.counts.opens++;
    const { dir, name, full } = this.parentOf(path, 'open');
    const existing = dir.entries.get(name);
    if (mode !== 'read') this.checkDenied(full, 'open');
    let node: FileNode;
    if (existing !== undefined) {
      if (existing.kind === 'dir') throw errnoError('EISDIR', 'open', full);
      if (mode === 'createExclusive') throw errnoError('EEXIST', 'open', full);
      node = existing;
    } else {
      if (mode === 'read' || mode === 'readwrite') throw errnoError('ENOENT', 'open', full);
      node = {
        kind: 'file',
        data: Buffer.alloc(0),
        size: 0,
        durable: Buffer.alloc(0),
        durableSize: 0,
        version: 0,
        durableVersion: 0,
      };
      dir.entries.set(name, node);
    }
    const fd = this.nextFd++;
    this.fds.set(fd, { node, path: full, writable: mode !== 'read', generation: this.generation });
    return fd;
  }

  close(fd: number): void {
    this.fdOf(fd, 'close');
    this.fds.delete(fd);
  }

  write(fd: number, data: Uint8Array, position: number): void {
    const file = this.fdOf(fd, 'write');
    if (!file.writable) throw errnoError('EBADF', 'write', file.path);
    this.checkDenied(file.path, 'write');
    this.counts.writes++;
    let allowed = data.length;
    let code: string | null = null;
    const fault = this.writeFaults.shift();
    if (fault !== undefined) {
      code = fault.code;
      const torn = fault.tornBytes ?? 0;
      allowed = torn === 'random' ? Math.floor(this.random() * data.length) : Math.min(torn, data.length);
    }
    if (this.capacityBytes !== null) {
      const growth = Math.max(0, position + allowed - file.node.size);
      const free = this.capacityBytes - this.usedBytes();
      if (growth > free) {
        allowed = Math.max(0, Math.min(allowed, file.node.size - position + free));
        code = 'ENOSPC';
      }
    }
    this.writeAt(file.node, data.subarray(0, allowed), position);
    this.counts.bytesWritten += allowed;
    if (code !== null) {
      const err = errnoError(code, 'write', file.path) as WriteError;
      err.bytesWritten = allowed;
      throw err;
    }
  }

  read(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
    const file = this.fdOf(fd, 'read');
    this.counts.reads++;
    const node = file.node;
    if (position >= node.size) return 0;
    const n = Math.min(length, node.size - position);
    buffer.set(node.data.subarray(position, position + n), offset);
    return n;
  }

  fdatasync(fd: number): Promise<void> {
    const file = this.fdOf(fd, 'fdatasync');
    this.counts.fdatasyncs++;
    const generation = this.generation;
    const fault = this.fsyncFaults.shift();
    // The bytes an fdatasync guarantees are those written before it was called.
    const snapshot = Buffer.from(file.node.data.subarray(0, file.node.size));
    const version = file.node.version;
    return new Promise((resolve, reject) => {
      const complete = (): void => {
        if (generation !== this.generation) return; // crashed meanwhile: it never returns
        if (fault !== undefined) return reject(errnoError(fault, 'fdatasync', file.path));
        this.persist(file.node, snapshot, version);
        resolve();
      };
      if (this.holdSyncs) this.heldSyncs.push(complete);
      else setImmediate(complete);
    });
  }

  fdatasyncSync(fd: number): void {
    const file = this.fdOf(fd, 'fdatasync');
    this.counts.fdatasyncs++;
    const fault = this.fsyncFaults.shift();
    if (fault !== undefined) throw errnoError(fault, 'fdatasync', file.path);
    this.persist(file.node, file.node.data.subarray(0, file.node.size), file.node.version);
  }

  ftruncate(fd: number, length: number): void {
    const file = this.fdOf(fd, 'ftruncate');
    if (!file.writable) throw errnoError('EBADF', 'ftruncate', file.path);
    this.checkDenied(file.path, 'ftruncate');
    this.counts.truncates++;
    const fault = this.truncateFaults.shift();
    if (fault !== undefined) throw errnoError(fault, 'ftruncate', file.path);
    const node = file.node;
    if (length > node.size) this.writeAt(node, Buffer.alloc(length - node.size), node.size);
    node.size = length;
    node.version++;
  }

  fsize(fd: number): number {
    return this.fdOf(fd, 'fstat').node.size;
  }

  stat(path: string): FileStat | null {
    const node = this.lookup(path);
    if (node === undefined) return null;
    return node.kind === 'dir' ? { size: 4096, isDirectory: true } : { size: node.size, isDirectory: false };
  }

  readdir(path: string): string[] {
    const node = this.lookup(path);
    if (node === undefined) throw errnoError('ENOENT', 'scandir', path);
    if (node.kind !== 'dir') throw errnoError('ENOTDIR', 'scandir', path);
    return [...node.entries.keys()];
  }

  mkdir(path: string): void {
    const full = posix.normalize(path);
    let dir = this.root;
    let walked = '';
    for (const part of full.split('/').filter((p) => p !== '')) {
      walked += '/' + part;
      const next = dir.entries.get(part);
      if (next === undefined) {
        this.checkDenied(walked, 'mkdir');
        const created = newDir();
        dir.entries.set(part, created);
        dir = created;
      } else if (next.kind === 'dir') {
        dir = next;
      } else {
        throw errnoError('ENOTDIR', 'mkdir', walked);
      }
    }
  }

  rename(from: string, to: string): void {
    const a = this.parentOf(from, 'rename');
    const b = this.parentOf(to, 'rename');
    this.checkDenied(a.full, 'rename');
    this.checkDenied(b.full, 'rename');
    const node = a.dir.entries.get(a.name);
    if (node === undefined) throw errnoError('ENOENT', 'rename', a.full);
    this.counts.renames++;
    a.dir.entries.delete(a.name);
    b.dir.entries.set(b.name, node);
  }

  unlink(path: string): void {
    const { dir, name, full } = this.parentOf(path, 'unlink');
    this.checkDenied(full, 'unlink');
    const node = dir.entries.get(name);
    if (node === undefined) throw errnoError('ENOENT', 'unlink', full);
    if (node.kind === 'dir') throw errnoError('EISDIR', 'unlink', full);
    this.counts.unlinks++;
    dir.entries.delete(name);
  }

  unlinkAsync(path: string): Promise<void> {
    // A later turn, as the real one: callers must not count on the file being gone at once.
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          this.unlink(path);
          resolve();
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  fsyncDir(path: string): void {
    const node = this.lookup(path);
    if (node === undefined) throw errnoError('ENOENT', 'fsync', path);
    if (node.kind !== 'dir') throw errnoError('ENOTDIR', 'fsync', path);
    this.counts.fsyncDirs++;
    const fault = this.dirSyncFaults.shift();
    if (fault !== undefined) throw errnoError(fault, 'fsync', path);
    node.durableEntries = new Map(node.entries);
  }

  // ---- internals

  /** Make `bytes` (the file as of `version`) durable, unless a newer state already is. */
  private persist(node: FileNode, bytes: Uint8Array, version: number): void {
    if (version < node.durableVersion) return;
    node.durable = Buffer.from(bytes);
    node.durableSize = bytes.length;
    node.durableVersion = version;
  }

  private writeAt(node: FileNode, bytes: Uint8Array, position: number): void {
    node.version++;
    const end = position + bytes.length;
    if (end > node.data.length) {
      const bigger = Buffer.alloc(Math.max(end, node.data.length * 2, 4096));
      node.data.copy(bigger, 0, 0, node.size);
      node.data = bigger;
    }
    if (position > node.size) node.data.fill(0, node.size, position);
    node.data.set(bytes, position);
    if (end > node.size) node.size = end;
  }

  private usedBytes(): number {
    let total = 0;
    const visit = (dir: DirNode): void => {
      for (const node of dir.entries.values()) {
        if (node.kind === 'dir') visit(node);
        else total += node.size;
      }
    };
    visit(this.root);
    return total;
  }

  private checkDenied(path: string, syscall: string): void {
    for (const d of this.denied) {
      if (path === d.prefix || path.startsWith(d.prefix + '/')) throw errnoError(d.code, syscall, path);
    }
  }

  private fdOf(fd: number, syscall: string): OpenFile {
    const file = this.fds.get(fd);
    if (file === undefined || file.generation !== this.generation) throw errnoError('EBADF', syscall);
    return file;
  }

  private lookup(path: string): Node | undefined {
    let node: Node = this.root;
    for (const part of posix.normalize(path).split('/').filter((p) => p !== '')) {
      if (node.kind !== 'dir') return undefined;
      const next: Node | undefined = node.entries.get(part);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  private parentOf(path: string, syscall: string): { dir: DirNode; name: string; full: string } {
    const full = posix.normalize(path);
    const parent = this.lookup(posix.dirname(full));
    if (parent === undefined) throw errnoError('ENOENT', syscall, full);
    if (parent.kind !== 'dir') throw errnoError('ENOTDIR', syscall, full);
    return { dir: parent, name: posix.basename(full), full };
  }

  private fileAt(path: string, syscall: string): FileNode {
    const node = this.lookup(path);
    if (node === undefined) throw errnoError('ENOENT', syscall, path);
    if (node.kind !== 'file') throw errnoError('EISDIR', syscall, path);
    return node;
  }
}

function newDir(): DirNode {
  return { kind: 'dir', entries: new Map(), durableEntries: new Map() };
}

function zeroCounts(): FsCounts {
  return { writes: 0, bytesWritten: 0, fdatasyncs: 0, fsyncDirs: 0, opens: 0, reads: 0, truncates: 0, renames: 0, unlinks: 0 };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}
