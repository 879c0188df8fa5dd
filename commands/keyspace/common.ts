// What the keyspace commands share: the lookups Redis's generic commands use, the argument rules
// several of them follow (DB indexes, flush modes) and the docs FLUSHDB and FLUSHALL share; key
// specs come from ../keyspecs. Command logic (and docs) shared by two or more commands (DEL/UNLINK,
// RENAME/RENAMENX, the EXPIRE and TTL families) lives in the command files themselves, exported
// from the first of each family.

import { ERR, cString } from '../errors';
import { parseInt64 } from '../args';
import type { ArgSpec, CommandSpec, Ctx, Reply } from '../types';
import type { KeyEntry } from '../../storage/keyspace';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * A key read without changing its access time, but counted in keyspace_hits/misses: Redis's
 * lookupKeyReadWithFlags(LOOKUP_NOTOUCH), used by EXISTS, TYPE, TTL and OBJECT. A miss is a
 * key-miss event too, except for OBJECT (Redis adds LOOKUP_NONOTIFY there).
 */
export function peekKey(ctx: Ctx, key: string, dbIndex: number = ctx.client.dbIndex, notifyMiss = true): KeyEntry | undefined {
  const entry = ctx.engine.lookup(dbIndex, key, ctx.nowMs);
  if (entry === undefined) {
    ctx.server.stats.keyspaceMisses++;
    if (notifyMiss) ctx.notify('keyMiss', 'keymiss', key, dbIndex);
  } else {
    ctx.server.stats.keyspaceHits++;
  }
  return entry;
}

/**
 * An argument as a C int (Redis's getIntFromObjectOrReply): `message` for anything that is not a
 * 64-bit integer, and for one outside the int range too when given, else Redis's range error.
 */
export function intArgOrReply(out: Reply, arg: Buffer, message?: string): number | null {
  const value = parseInt64(arg.toString('latin1'));
  if (value === null) {
    out.error(message ?? ERR.notInteger);
    return null;
  }
  if (typeof value === 'bigint' || value < INT_MIN || value > INT_MAX) {
    out.error(message ?? ERR.intRange(INT_MIN, INT_MAX));
    return null;
  }
  return value;
}

/** A database index argument (MOVE, COPY ... DB), range-checked against the configured databases. */
export function dbIndexOrReply(ctx: Ctx, arg: Buffer): number | null {
  const index = intArgOrReply(ctx.out, arg);
  if (index === null) return null;
  if (index < 0 || index >= ctx.engine.dbs.length) {
    ctx.out.error(ERR.dbIndexOutOfRange);
    return null;
  }
  return index;
}

/** FLUSHDB/FLUSHALL's COMMAND DOCS history. */
export const FLUSH_HISTORY: CommandSpec['history'] = [
  ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
  ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
];

/** FLUSHDB/FLUSHALL's optional ASYNC | SYNC argument (COMMAND DOCS). */
export const FLUSH_MODE_ARG: ArgSpec = {
  name: 'async',
  type: 'oneof',
  optional: true,
  arguments: [
    { name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' },
    { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' },
  ],
};

/**
 * FLUSHDB/FLUSHALL's optional mode: SYNC or ASYNC alone, or nothing. Both modes empty the data at
 * once here (the old contents are left to the garbage collector), so only validity matters.
 */
export function flushModeOkOrReply(out: Reply, argv: readonly Buffer[]): boolean {
  if (argv.length === 1) return true;
  if (argv.length === 2) {
    const mode = cString(argv[1]!).toLowerCase();
    if (mode === 'sync' || mode === 'async') return true;
  }
  out.error(ERR.syntax);
  return false;
}

/** An option keyword as Redis compares it (strcasecmp on a C string: text stops at NUL). */
export function optionName(arg: Buffer): string {
  return cString(arg).toLowerCase();
}

/** The current value of a config directive. */
export function configValue(ctx: Ctx, name: string): string {
  const pairs = ctx.server.configApi.get(name);
  return pairs.length === 0 ? '' : pairs[0]![1];
}

/** Whether the eviction policy is an LFU one (OBJECT FREQ is answered, IDLETIME refused). */
export function lfuPolicy(ctx: Ctx): boolean {
  return configValue(ctx, 'maxmemory-policy').endsWith('-lfu');
}

/**
 * Whether Redis would be sharing the integer objects 0..9999 among keys now: not when maxmemory is
 * set with an LRU or LFU policy (each key then needs its own access data).
 */
export function sharedIntegers(ctx: Ctx): boolean {
  const maxmemory = configValue(ctx, 'maxmemory');
  if (maxmemory === '' || maxmemory === '0') return true;
  const policy = configValue(ctx, 'maxmemory-policy');
  return !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
}
