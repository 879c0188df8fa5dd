import { ERR } from '../errors';
import { keyOf } from '../args';
import { writeKey } from '../lookup';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'mset',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['write', 'string', 'slow'],
  keys: [1, -1, 2],
  keySpecs: [
    {
      flags: ['OW', 'UPDATE'],
      beginSearch: { type: 'index', index: 1 },
      findKeys: { type: 'range', lastkey: -1, step: 2, limit: 0 },
    },
  ],
  summary: 'Stores strings at several keys at once.',
  since: '1.0.1',
  group: 'string',
  complexity: 'O(N) where N is the number of keys to set.',
  tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
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
    // Arity only says "at least 3": an unpaired key is reported with the arity error too.
    if (argv.length % 2 === 0) {
      ctx.out.error(ERR.wrongArity('mset'));
      return;
    }
    const db = ctx.client.dbIndex;
    for (let i = 1; i < argv.length; i += 2) {
      const key = keyOf(argv[i]!);
      // Looked up as Redis does, so that replacing an expired key counts it as expired.
      writeKey(ctx, key);
      ctx.commit({ op: 'set', db, key, value: argv[i + 1]!.toString('latin1'), expireAtMs: null });
    }
    ctx.out.ok();
  },
} satisfies CommandSpec;
