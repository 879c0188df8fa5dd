import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { incrementBy } from './counter';

export const spec = {
  name: 'incr',
  arity: 2,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'UPDATE'])],
  summary: 'Adds one to the integer stored at a key (a missing key counts as zero).',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  handler(ctx, argv) {
    incrementBy(ctx, argv[1]!, 1);
  },
} satisfies CommandSpec;
