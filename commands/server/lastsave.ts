import type { CommandSpec } from '../types';

export const spec = {
  name: 'lastsave',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  acl: ['admin', 'fast', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Returns the unix time of the last successful save.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(1)',
  tips: ['nondeterministic_output'],
  handler(ctx) {
    ctx.out.integer(ctx.server.lastSaveSec);
  },
} satisfies CommandSpec;
