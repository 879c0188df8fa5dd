import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { replyExpiry } from './ttl';

export const spec = {
  name: 'expiretime',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RO', 'ACCESS'])],
  summary: 'Replies with the unix time in seconds at which a key expires (-1 without expiry, -2 when missing).',
  since: '7.0.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  handler: (ctx, argv) => replyExpiry(ctx, argv, false, true),
} satisfies CommandSpec;
