import type { CommandSpec } from '../../types';

export const spec = {
  name: 'len',
  arity: 2,
  flags: ['admin', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Returns the number of entries in the slow log.',
  since: '2.2.12',
  group: 'server',
  complexity: 'O(1)',
  tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
  handler(ctx) {
    ctx.out.integer(ctx.server.slowlog.entries().length);
  },
} satisfies CommandSpec;
