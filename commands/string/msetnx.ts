import { keyOf } from '../args';
import { writeKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { KEY_VALUE_PAIRS, pairsOrReply } from './mset';

export const spec = {
  name: 'msetnx',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['write', 'string', 'slow'],
  keys: [1, -1, 2],
  keySpecs: [keysAt(1, ['OW', 'INSERT'], { lastkey: -1, step: 2 })],
  summary: 'Stores strings at several keys only when none of the keys exists yet.',
  since: '1.0.1',
  group: 'string',
  complexity: 'O(N) where N is the number of keys to set.',
  tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
  arguments: KEY_VALUE_PAIRS,
  handler(ctx, argv) {
    if (!pairsOrReply(ctx, argv, 'msetnx')) return;
    // All or nothing: one existing key cancels every write.
    for (let i = 1; i < argv.length; i += 2) {
      if (writeKey(ctx, keyOf(argv[i]!)) !== undefined) {
        ctx.out.integer(0);
        return;
      }
    }
    const db = ctx.client.dbIndex;
    for (let i = 1; i < argv.length; i += 2) {
      const key = keyOf(argv[i]!);
      ctx.commit({ op: 'set', db, key, value: argv[i + 1]!.toString('latin1'), expireAtMs: null });
      ctx.notify('string', 'set', key);
    }
    ctx.out.integer(1);
  },
} satisfies CommandSpec;
