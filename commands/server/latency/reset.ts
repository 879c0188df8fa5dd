import type { CommandSpec } from '../../types';

export const spec = {
  name: 'reset',
  arity: -2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Forgets the samples of some events, or of all; returns how many events were reset.',
  since: '2.8.13',
  group: 'server',
  complexity: 'O(1)',
  tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  arguments: [{ name: 'event', type: 'string', optional: true, multiple: true }],
  handler(ctx, argv) {
    ctx.out.integer(ctx.server.latency.reset(argv.slice(2).map((arg) => arg.toString('latin1'))));
  },
} satisfies CommandSpec;
