import { keyOf } from '../args';
import { readStringOrReply, writeKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { expireAtOrReply, parseStringOptionsOrReply } from './expiry';

export const spec = {
  name: 'set',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['write', 'string', 'slow'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS'], { notes: 'RW and ACCESS due to the optional `GET` argument' })],
  summary: 'Stores a string at a key, with optional expiry, condition on existence, and return of the old value.',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  history: [
    ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
    ['6.0.0', 'Added the `KEEPTTL` option.'],
    ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
    ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
  ],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'value', type: 'string' },
    {
      name: 'condition',
      type: 'oneof',
      since: '2.6.12',
      optional: true,
      arguments: [
        { name: 'nx', type: 'pure-token', token: 'NX' },
        { name: 'xx', type: 'pure-token', token: 'XX' },
      ],
    },
    { name: 'get', type: 'pure-token', token: 'GET', since: '6.2.0', optional: true },
    {
      name: 'expiration',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'seconds', type: 'integer', token: 'EX', since: '2.6.12' },
        { name: 'milliseconds', type: 'integer', token: 'PX', since: '2.6.12' },
        { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT', since: '6.2.0' },
        { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT', since: '6.2.0' },
        { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL', since: '6.0.0' },
      ],
    },
  ],
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    const value = argv[2]!.toString('latin1');
    const db = ctx.client.dbIndex;
    // The plain form is the benchmarked one: no option object. The lookup still runs, as in Redis,
    // so that an expired key being replaced is counted as expired.
    if (argv.length === 3) {
      // Only to expire the old key first (counted in expired_keys), as Redis's lookupKeyWrite does;
      // the access time is set by the write itself, so there is nothing to touch.
      ctx.engine.expireIfDue(db, key, ctx.nowMs);
      ctx.commit({ op: 'set', db, key, value, expireAtMs: null });
      ctx.notify('string', 'set', key);
      ctx.out.ok();
      return;
    }

    const options = parseStringOptionsOrReply(ctx.out, argv, 3, true);
    if (options === null) return;
    let expireAtMs: number | null | 'keep' = options.keepTtl ? 'keep' : null;
    if (options.expireUnit !== null) {
      const at = expireAtOrReply(ctx, options.expireArg!, options.expireUnit, 'set');
      if (at === null) return;
      // A time already past is stored as is: the key then expires on its next access, as in Redis.
      expireAtMs = at;
    }

    let exists: boolean;
    if (options.get) {
      // GET replies with the old value first (or WRONGTYPE, which cancels the write).
      const old = readStringOrReply(ctx, key);
      if (old === null) return;
      if (old === undefined) ctx.out.nullBulk();
      else ctx.out.bulk(old);
      exists = old !== undefined;
    } else {
      exists = writeKey(ctx, key) !== undefined;
    }
    if ((options.nx && exists) || (options.xx && !exists)) {
      if (!options.get) ctx.out.nullBulk();
      return;
    }

    ctx.commit({ op: 'set', db, key, value, expireAtMs });
    ctx.notify('string', 'set', key);
    if (typeof expireAtMs === 'number') ctx.notify('generic', 'expire', key);
    if (!options.get) ctx.out.ok();
  },
} satisfies CommandSpec;
