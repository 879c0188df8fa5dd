import { ERR, cString } from '../errors';
import { keyOf, parseInt64 } from '../args';
import { writeKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { ArgSpec, Ctx, CommandSpec } from '../types';
import { optionName } from './common';

const LLONG_MAX = 9223372036854775807n;
/** LLONG_MAX / 1000 and LLONG_MIN / 1000 as C divides them: the seconds that fit in milliseconds. */
const SECONDS_MAX = 9223372036854775n;
const SECONDS_MIN = -9223372036854775n;

/** The COMMAND DOCS history the four EXPIRE commands share. */
export const EXPIRE_HISTORY: CommandSpec['history'] = [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']];

/** The NX | XX | GT | LT condition the four EXPIRE commands share (COMMAND DOCS). */
export const EXPIRE_CONDITION: ArgSpec = {
  name: 'condition',
  type: 'oneof',
  since: '7.0.0',
  optional: true,
  arguments: [
    { name: 'nx', type: 'pure-token', token: 'NX' },
    { name: 'xx', type: 'pure-token', token: 'XX' },
    { name: 'gt', type: 'pure-token', token: 'GT' },
    { name: 'lt', type: 'pure-token', token: 'LT' },
  ],
};

interface Conditions {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

function conditionsOrReply(ctx: Ctx, argv: readonly Buffer[]): Conditions | null {
  const c: Conditions = { nx: false, xx: false, gt: false, lt: false };
  for (let j = 3; j < argv.length; j++) {
    const option = optionName(argv[j]!);
    if (option === 'nx') c.nx = true;
    else if (option === 'xx') c.xx = true;
    else if (option === 'gt') c.gt = true;
    else if (option === 'lt') c.lt = true;
    else {
      ctx.out.error(ERR.unsupportedOption(cString(argv[j]!)));
      return null;
    }
  }
  if (c.nx && (c.xx || c.gt || c.lt)) {
    ctx.out.error(ERR.nxAndXx);
    return null;
  }
  if (c.gt && c.lt) {
    ctx.out.error(ERR.gtLtNx);
    return null;
  }
  return c;
}

/**
 * EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: set a key's absolute expiry from a relative or absolute
 * time in seconds or milliseconds (`baseMs` is now for the relative forms, 0 for the absolute
 * ones). A time already past deletes the key (replicated as a deletion); a time that overflows a
 * 64-bit millisecond count is an "invalid expire time" error.
 */
export function expireKey(ctx: Ctx, argv: readonly Buffer[], baseMs: number, unit: 's' | 'ms', name: string): void {
  const conditions = conditionsOrReply(ctx, argv);
  if (conditions === null) return;
  const given = parseInt64(argv[2]!.toString('latin1'));
  if (given === null) {
    ctx.out.error(ERR.notInteger);
    return;
  }
  let when = BigInt(given);
  if (unit === 's') {
    if (when > SECONDS_MAX || when < SECONDS_MIN) {
      ctx.out.error(ERR.invalidExpire(name));
      return;
    }
    when *= 1000n;
  }
  const base = BigInt(baseMs);
  if (when > LLONG_MAX - base) {
    ctx.out.error(ERR.invalidExpire(name));
    return;
  }
  when += base;

  const key = keyOf(argv[1]!);
  if (writeKey(ctx, key) === undefined) {
    ctx.out.integer(0);
    return;
  }
  const db = ctx.client.dbIndex;
  const current = ctx.engine.dbs[db]!.expiryOf(key);
  // A key without expiry lives forever: GT never beats it, LT always does.
  if (
    (conditions.nx && current !== undefined) ||
    (conditions.xx && current === undefined) ||
    (conditions.gt && (current === undefined || when <= current)) ||
    (conditions.lt && current !== undefined && when >= current)
  ) {
    ctx.out.integer(0);
    return;
  }
  // A replica keeps a key whose time has come and waits for its master's deletion.
  if (when <= BigInt(ctx.nowMs) && ctx.engine.deleteExpiredOnAccess) {
    ctx.commit({ op: 'del', db, keys: [key] });
    ctx.notify('generic', 'del', key);
    ctx.out.integer(1);
  } else {
    ctx.commit({ op: 'expire', db, key, atMs: Number(when) });
    // Redis replies before announcing this one.
    ctx.out.integer(1);
    ctx.notify('generic', 'expire', key);
  }
}

export const spec = {
  name: 'expire',
  arity: -3,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'])],
  summary: 'Makes a key expire after a number of seconds.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  history: EXPIRE_HISTORY,
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }, { name: 'seconds', type: 'integer' }, EXPIRE_CONDITION],
  handler: (ctx, argv) => expireKey(ctx, argv, ctx.nowMs, 's', 'expire'),
} satisfies CommandSpec;
