import { keyOf } from '../args';
import { readStringOrReply } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'strlen',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RO'])],
  summary: 'Returns the length in bytes of the string stored at a key.',
  since: '2.2.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  handler(ctx, argv) {
    const value = readStringOrReply(ctx, keyOf(argv[1]!));
    if (value === null) return;
    ctx.out.integer(value === undefined ? 0 : value.length);
  },
} satisfies CommandSpec;
