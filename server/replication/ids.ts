// Replication ids (PSYNC2): the id of the history this server's data belongs to, the id of the
// history it followed before (replid2) and up to where that one is shared (secondReplOffset), kept
// in `<dir>/replication.json` so that partial resyncs survive restarts.
//
// What must stay true: (replid, log end offset) names the state held. A replica's log is always a
// prefix of its master's history (it only appends records received from it), so a replica keeps
// its ids after any restart. A master keeps them only after a clean shutdown at the same log end:
// after a crash its log may have lost an unsynced tail that replicas already hold, and a new id
// makes them resync in full rather than continue on a history that differs from theirs.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const NO_REPLID = '0000000000000000000000000000000000000000';
const FILE_NAME = 'replication.json';

export interface ReplicationIds {
  /** The history the data follows (master_replid). */
  replid: string;
  /** The history followed before the last change of master (master_replid2), or NO_REPLID. */
  replid2: string;
  /** Redis's second_repl_offset: PSYNC offsets up to it may continue replid2's history; -1 when none. */
  secondReplOffset: number;
}

interface StoredIds extends ReplicationIds {
  /** Log end offset written at a clean shutdown, null while running. */
  readonly shutdownOffset: number | null;
}

export function newReplid(): string {
  return randomBytes(20).toString('hex');
}

export function freshIds(): ReplicationIds {
  return { replid: newReplid(), replid2: NO_REPLID, secondReplOffset: -1 };
}

/**
 * The ids to start with. `asReplica`: `replicaof` is configured. `logEndOffset`: the log's end
 * after recovery. Returns fresh ids when nothing trustworthy is stored.
 */
export function loadIds(dir: string, asReplica: boolean, logEndOffset: number): { ids: ReplicationIds; kept: boolean } {
  let stored: StoredIds;
  try {
    stored = JSON.parse(readFileSync(join(dir, FILE_NAME), 'utf8')) as StoredIds;
  } catch {
    return { ids: freshIds(), kept: false };
  }
  if (typeof stored.replid !== 'string' || !/^[0-9a-f]{40}$/.test(stored.replid)) return { ids: freshIds(), kept: false };
  const clean = stored.shutdownOffset === logEndOffset;
  if (!asReplica && !clean) return { ids: freshIds(), kept: false };
  return {
    ids: {
      replid: stored.replid,
      replid2: typeof stored.replid2 === 'string' ? stored.replid2 : NO_REPLID,
      secondReplOffset: typeof stored.secondReplOffset === 'number' ? stored.secondReplOffset : -1,
    },
    kept: true,
  };
}

/** Write the ids durably (write, fsync, rename). `shutdownOffset`: set only by a clean shutdown. */
export function storeIds(dir: string, ids: ReplicationIds, shutdownOffset: number | null = null): void {
  const path = join(dir, FILE_NAME);
  const tmp = `${path}.tmp`;
  const body: StoredIds = { ...ids, shutdownOffset };
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, JSON.stringify(body) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    /* the rename is in place; its durability is best effort on file systems without dir fsync */
  }
}
