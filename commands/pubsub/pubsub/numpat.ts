import type { CommandSpec } from '../../types';

export const spec = {
  name: 'numpat',
  arity: 2,
  flags: ['pubsub', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [0, 0, 0],
  summary: 'Counts the distinct patterns that have subscribers.',
  since: '2.8.0',
  group: 'pubsub',
  complexity: 'O(1)',
  handler(ctx) {
    ctx.out.integer(ctx.server.pubsub.patternCount());
  },
} satisfies CommandSpec;
