import type { CommandSpec } from '../types';

export const spec = {
  name: 'role',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast'],
  acl: ['admin', 'fast', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Return the role of the instance in the context of replication',
  since: '2.8.12',
  group: 'server',
  complexity: 'O(1)',
  handler(ctx) {
    ctx.server.replication.role(ctx.out);
  },
} satisfies CommandSpec;
