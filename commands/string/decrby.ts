import { ERR } from '../errors';
import { intOrReply } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { incrementBy } from './counter';

const INT64_MIN = -9223372036854775808n;

export const spec = {
  name: 'decrby',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'UPDATE'])],
  summary: 'Subtracts a given integer from the integer stored at a key (a missing key counts as zero).',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'decrement', type: 'integer' },
  ],
  handler(ctx, argv) {
    const decrement = intOrReply(ctx.out, argv[2]!);
    if (decrement === null) return;
    // The smallest 64-bit integer has no positive counterpart to add.
    if (decrement === INT64_MIN) {
      ctx.out.error(ERR.decrementOverflow);
      return;
    }
    incrementBy(ctx, argv[1]!, -decrement);
  },
} satisfies CommandSpec;
