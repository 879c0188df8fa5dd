import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { EXPIRE_CONDITION, EXPIRE_HISTORY, expireKey } from './expire';

export const spec = {
  name: 'pexpireat',
  arity: -3,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'])],
  summary: 'Makes a key expire at a unix time given in milliseconds.',
  since: '2.6.0',
  group: 'generic',
  complexity: 'O(1)',
  history: EXPIRE_HISTORY,
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'unix-time-milliseconds', type: 'unix-time' },
    EXPIRE_CONDITION,
  ],
  handler: (ctx, argv) => expireKey(ctx, argv, 0, 'ms', 'pexpireat'),
} satisfies CommandSpec;
