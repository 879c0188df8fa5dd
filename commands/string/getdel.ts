import { keyOf } from '../args';
import { readStringOrReply } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'getdel',
  arity: 2,
  flags: ['write', 'fast'],
  acl: ['write', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'DELETE'])],
  summary: 'Returns the string stored at a key and deletes the key.',
  since: '6.2.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    const value = readStringOrReply(ctx, key);
    if (value === null) return;
    if (value === undefined) {
      ctx.out.nullBulk();
      return;
    }
    ctx.commit({ op: 'del', db: ctx.client.dbIndex, keys: [key] });
    ctx.notify('generic', 'del', key);
    ctx.out.bulk(value);
  },
} satisfies CommandSpec;
