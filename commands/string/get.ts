import { keyOf } from '../args';
import { readStringOrReply } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'get',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RO', 'ACCESS'])],
  summary: 'Returns the string stored at a key.',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  handler(ctx, argv) {
    const value = readStringOrReply(ctx, keyOf(argv[1]!));
    if (value === null) return;
    if (value === undefined) ctx.out.nullBulk();
    else ctx.out.bulk(value);
  },
} satisfies CommandSpec;
