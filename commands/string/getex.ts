import { keyOf } from '../args';
import { readStringOrReply } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { expireAtOrReply, parseStringOptionsOrReply } from './expiry';

export const spec = {
  name: 'getex',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['write', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'UPDATE'], { notes: 'RW and UPDATE because it changes the TTL' })],
  summary: 'Returns the string stored at a key and optionally sets or removes its expiry.',
  since: '6.2.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    {
      name: 'expiration',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'seconds', type: 'integer', token: 'EX' },
        { name: 'milliseconds', type: 'integer', token: 'PX' },
        { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
        { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
        { name: 'persist', type: 'pure-token', token: 'PERSIST' },
      ],
    },
  ],
  handler(ctx, argv) {
    const options = parseStringOptionsOrReply(ctx.out, argv, 2, false);
    if (options === null) return;
    const key = keyOf(argv[1]!);
    const value = readStringOrReply(ctx, key);
    if (value === null) return;
    // A missing key answers nil before the expire argument is even looked at, as in Redis.
    if (value === undefined) {
      ctx.out.nullBulk();
      return;
    }
    let atMs: number | null = null;
    if (options.expireUnit !== null) {
      atMs = expireAtOrReply(ctx, options.expireArg!, options.expireUnit, 'getex');
      if (atMs === null) return;
    }
    ctx.out.bulk(value);

    const db = ctx.client.dbIndex;
    const absolute = options.expireUnit === 'exat' || options.expireUnit === 'pxat';
    if (atMs !== null && absolute && atMs <= ctx.nowMs) {
      // An absolute time already past deletes the key now (a plain delete, not counted as expired).
      ctx.commit({ op: 'del', db, keys: [key] });
      ctx.notify('generic', 'del', key);
    } else if (atMs !== null) {
      ctx.commit({ op: 'expire', db, key, atMs });
      ctx.notify('generic', 'expire', key);
    } else if (options.persist && ctx.engine.dbs[db]!.expiryOf(key) !== undefined) {
      ctx.commit({ op: 'persist', db, key });
      ctx.notify('generic', 'persist', key);
    }
  },
} satisfies CommandSpec;
