import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { TTL_HISTORY, replyExpiry } from './ttl';

export const spec = {
  name: 'pttl',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RO', 'ACCESS'])],
  summary: 'Replies with the milliseconds a key has left to live (-1 without expiry, -2 when missing).',
  since: '2.6.0',
  group: 'generic',
  complexity: 'O(1)',
  history: TTL_HISTORY,
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  tips: ['nondeterministic_output'],
  handler: (ctx, argv) => replyExpiry(ctx, argv, true, false),
} satisfies CommandSpec;
