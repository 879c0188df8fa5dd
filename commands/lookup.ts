// Key lookups as commands need them: expiry respected, access time and hit/miss counters kept the
// way Redis keeps them (reads count keyspace_hits/misses; CLIENT NO-TOUCH leaves access times alone).

import { ERR } from './errors';
import type { Ctx } from './types';
import type { KeyEntry } from '../storage/keyspace';

/** A key read by a read command: counted in keyspace_hits/misses, access time updated. */
export function readKey(ctx: Ctx, key: string): KeyEntry | undefined {
  const entry = ctx.client.noTouch
    ? ctx.engine.lookup(ctx.client.dbIndex, key, ctx.nowMs)
    : ctx.engine.touch(ctx.client.dbIndex, key, ctx.nowMs);
  if (entry === undefined) {
    ctx.server.stats.keyspaceMisses++;
    // Every counted miss is also a key-miss event (class m), as in Redis's lookupKeyRead.
    ctx.notify('keyMiss', 'keymiss', key);
  } else {
    ctx.server.stats.keyspaceHits++;
  }
  return entry;
}

/** A key looked up by a write command (no hit/miss counting, as in Redis's lookupKeyWrite). */
export function writeKey(ctx: Ctx, key: string): KeyEntry | undefined {
  return ctx.client.noTouch
    ? ctx.engine.lookup(ctx.client.dbIndex, key, ctx.nowMs)
    : ctx.engine.touch(ctx.client.dbIndex, key, ctx.nowMs);
}

/** The string value of a key read by a read command: undefined when missing, null after a WRONGTYPE reply. */
export function readStringOrReply(ctx: Ctx, key: string): string | undefined | null {
  const entry = readKey(ctx, key);
  if (entry === undefined) return undefined;
  if (typeof entry.value !== 'string') {
    ctx.out.error(ERR.wrongType);
    return null;
  }
  return entry.value;
}

/** The string value of a key a write command is about to change: as readStringOrReply, no counters. */
export function writeStringOrReply(ctx: Ctx, key: string): string | undefined | null {
  const entry = writeKey(ctx, key);
  if (entry === undefined) return undefined;
  if (typeof entry.value !== 'string') {
    ctx.out.error(ERR.wrongType);
    return null;
  }
  return entry.value;
}
