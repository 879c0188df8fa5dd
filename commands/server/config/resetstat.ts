import type { CommandSpec } from '../../types';

export const spec = {
  name: 'resetstat',
  arity: 2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Zeroes the statistics INFO reports (stats, commandstats, errorstats).',
  since: '2.0.0',
  group: 'server',
  complexity: 'O(1)',
  handler(ctx) {
    ctx.server.resetStats();
    ctx.out.ok();
  },
} satisfies CommandSpec;
