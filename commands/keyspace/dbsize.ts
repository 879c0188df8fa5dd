import type { CommandSpec } from '../types';

export const spec = {
  name: 'dbsize',
  arity: 1,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  keys: [0, 0, 0],
  summary: 'Counts the keys of the selected database.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(1)',
  tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
  handler(ctx) {
    // Like Redis, keys that expired but were not removed yet still count.
    ctx.out.integer(ctx.engine.keyCount(ctx.client.dbIndex));
  },
} satisfies CommandSpec;
