import type { CommandSpec } from '../../types';

export const spec = {
  name: 'reset',
  arity: 2,
  flags: ['admin', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Empties the slow log.',
  since: '2.2.12',
  group: 'server',
  complexity: 'O(N) where N is the number of entries in the slowlog',
  tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  handler(ctx) {
    ctx.server.slowlog.reset();
    ctx.out.ok();
  },
} satisfies CommandSpec;
