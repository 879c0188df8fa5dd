import { intOrReply } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { incrementBy } from './counter';

export const spec = {
  name: 'incrby',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'UPDATE'])],
  summary: 'Adds a given integer to the integer stored at a key (a missing key counts as zero).',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'increment', type: 'integer' },
  ],
  handler(ctx, argv) {
    const increment = intOrReply(ctx.out, argv[2]!);
    if (increment === null) return;
    incrementBy(ctx, argv[1]!, increment);
  },
} satisfies CommandSpec;
