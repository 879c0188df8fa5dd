import type { CommandSpec } from '../../types';

export const spec = {
  name: 'history',
  arity: 3,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Returns the recorded samples of one event, oldest first.',
  since: '2.8.13',
  group: 'server',
  complexity: 'O(1)',
  tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
  arguments: [{ name: 'event', type: 'string' }],
  handler(ctx, argv) {
    const samples = ctx.server.latency.history(argv[2]!.toString('latin1'));
    ctx.out.array(samples.length);
    for (const [timeSec, ms] of samples) {
      ctx.out.array(2);
      ctx.out.integer(timeSec);
      ctx.out.integer(ms);
    }
  },
} satisfies CommandSpec;
