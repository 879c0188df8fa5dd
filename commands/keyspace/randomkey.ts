import type { CommandSpec } from '../types';

export const spec = {
  name: 'randomkey',
  arity: 1,
  flags: ['readonly'],
  acl: ['keyspace', 'read', 'slow'],
  keys: [0, 0, 0],
  summary: 'Replies with a key picked at random from the database, or null when it is empty.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  tips: ['request_policy:all_shards', 'nondeterministic_output'],
  handler(ctx) {
    const key = ctx.engine.randomKey(ctx.client.dbIndex, ctx.nowMs);
    if (key === undefined) ctx.out.nullBulk();
    else ctx.out.bulk(key);
  },
} satisfies CommandSpec;
