import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { setWithTtl } from './setex';

export const spec = {
  name: 'psetex',
  arity: 4,
  flags: ['write', 'denyoom'],
  acl: ['write', 'string', 'slow'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['OW', 'UPDATE'])],
  summary: 'Stores a string at a key with a time to live in milliseconds.',
  since: '2.6.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'milliseconds', type: 'integer' },
    { name: 'value', type: 'string' },
  ],
  handler: (ctx, argv) => setWithTtl(ctx, argv, 'px', 'psetex'),
} satisfies CommandSpec;
