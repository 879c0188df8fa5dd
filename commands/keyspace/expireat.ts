import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { EXPIRE_CONDITION, EXPIRE_HISTORY, expireKey } from './expire';

export const spec = {
  name: 'expireat',
  arity: -3,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'])],
  summary: 'Makes a key expire at a unix time given in seconds.',
  since: '1.2.0',
  group: 'generic',
  complexity: 'O(1)',
  history: EXPIRE_HISTORY,
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'unix-time-seconds', type: 'unix-time' },
    EXPIRE_CONDITION,
  ],
  handler: (ctx, argv) => expireKey(ctx, argv, 0, 's', 'expireat'),
} satisfies CommandSpec;
