import { ERR } from '../errors';
import { keyOf } from '../args';
import { writeKey } from '../lookup';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'msetnx',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['write', 'string', 'slow'],
  keys: [1, -1, 2],
  keySpecs: [
    {
      flags: ['OW', 'INSERT'],
      beginSearch: { type: 'index', index: 1 },
      findKeys: { type: 'range', lastkey: -1, step: 2, limit: 0 },
    },
  ],
  summary: 'Stores strings at several keys only when none of the keys exists yet.',
  since: '1.0.1',
  group: 'string',
  complexity: 'O(N) where N is the number of keys to set.',
  tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
  arguments: [
    {
      name: 'key_value',
      type: 'block',
      multiple: true,
      arguments: [
        { name: 'key', type: 'key', keySpecIndex: 0 },
        { name: 'value', type: 'string' },
      ],
    },
  ],
  handler(ctx, argv) {
    if (argv.length % 2 === 0) {
      ctx.out.error(ERR.wrongArity('msetnx'));
      return;
    }
    // All or nothing: one existing key cancels every write.
    for (let i = 1; i < argv.length; i += 2) {
      if (writeKey(ctx, keyOf(argv[i]!)) !== undefined) {
        ctx.out.integer(0);
        return;
      }
    }
    const db = ctx.client.dbIndex;
    for (let i = 1; i < argv.length; i += 2) {
      ctx.commit({ op: 'set', db, key: keyOf(argv[i]!), value: argv[i + 1]!.toString('latin1'), expireAtMs: null });
    }
    ctx.out.integer(1);
  },
} satisfies CommandSpec;
