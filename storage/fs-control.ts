// A FileSystem for fault tests of the whole server process (test/persistence): the real one, except
// that while a control file says so, writes or fdatasyncs fail with an errno. A test starts the
// server with SLUICE_TEST_FS_CONTROL=<path> in its environment and writes lines such as
// "write ENOSPC", "fsync EIO" or "" (healthy) into that file while the server runs. Nothing reads
// the variable in normal use; the file is read at most once per operation, only in that mode.
// Running as root, a read-only directory or a full disk cannot be staged, hence this seam.

import { readFileSync } from 'node:fs';
import { errnoError, nodeFileSystem, type FileSystem } from './fs';

export const FS_CONTROL_ENV = 'SLUICE_TEST_FS_CONTROL';

interface Faults {
  /** errno code for write/ftruncate/open-for-create failures, or null. */
  readonly write: string | null;
  /** errno code for fdatasync failures, or null. */
  readonly fsync: string | null;
}

function readFaults(path: string): Faults {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return { write: null, fsync: null };
  }
  let write: string | null = null;
  let fsync: string | null = null;
  for (const line of text.split('\n')) {
    const [what, code] = line.trim().split(/\s+/);
    if (code === undefined) continue;
    if (what === 'write') write = code;
    else if (what === 'fsync') fsync = code;
  }
  return { write, fsync };
}

/** nodeFileSystem with faults switched by the file at `controlPath`. */
export function controlledFileSystem(controlPath: string): FileSystem {
  const real = nodeFileSystem;
  const check = (kind: 'write' | 'fsync', syscall: string, path?: string): void => {
    const code = readFaults(controlPath)[kind];
    if (code !== null) throw errnoError(code, syscall, path);
  };
  return {
    ...real,
    open(path, mode) {
      if (mode === 'create' || mode === 'createExclusive') check('write', 'open', path);
      return real.open(path, mode);
    },
    write(fd, data, position) {
      check('write', 'write');
      real.write(fd, data, position);
    },
    ftruncate(fd, length) {
      check('write', 'ftruncate');
      real.ftruncate(fd, length);
    },
    fdatasync(fd) {
      try {
        check('fsync', 'fdatasync');
      } catch (err) {
        return Promise.reject(err);
      }
      return real.fdatasync(fd);
    },
    fdatasyncSync(fd) {
      check('fsync', 'fdatasync');
      real.fdatasyncSync(fd);
    },
  };
}

/** The file system the server uses: the real one, or the controlled one in fault tests. */
export function serverFileSystem(env: NodeJS.ProcessEnv = process.env): FileSystem {
  const control = env[FS_CONTROL_ENV];
  return control !== undefined && control !== '' ? controlledFileSystem(control) : nodeFileSystem;
}
