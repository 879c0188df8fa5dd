import { keyOf } from '../args';
import { writeKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'setnx',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['OW', 'INSERT'])],
  summary: 'Stores a string at a key only when the key does not exist yet.',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'value', type: 'string' },
  ],
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    if (writeKey(ctx, key) !== undefined) {
      ctx.out.integer(0);
      return;
    }
    ctx.commit({ op: 'set', db: ctx.client.dbIndex, key, value: argv[2]!.toString('latin1'), expireAtMs: null });
    ctx.notify('string', 'set', key);
    ctx.out.integer(1);
  },
} satisfies CommandSpec;
