import type { CommandSpec } from '../../types';

export const spec = {
  name: 'latest',
  arity: 2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Returns the latest latency sample of every event.',
  since: '2.8.13',
  group: 'server',
  complexity: 'O(1)',
  tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
  handler(ctx) {
    // Each event: name, unix time of the latest sample, its latency and the all-time worst (ms).
    const events = ctx.server.latency.latest();
    ctx.out.array(events.length);
    for (const [event, timeSec, latestMs, maxMs] of events) {
      ctx.out.array(4);
      ctx.out.bulk(event);
      ctx.out.integer(timeSec);
      ctx.out.integer(latestMs);
      ctx.out.integer(maxMs);
    }
  },
} satisfies CommandSpec;
