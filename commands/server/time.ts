import type { CommandSpec } from '../types';

export const spec = {
  name: 'time',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  acl: ['fast'],
  keys: [0, 0, 0],
  summary: 'Returns the server\'s clock as seconds and microseconds.',
  since: '2.6.0',
  group: 'server',
  complexity: 'O(1)',
  tips: ['nondeterministic_output'],
  handler(ctx) {
    const usec = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    ctx.out.array(2);
    ctx.out.bulk(String(Math.floor(usec / 1e6)));
    ctx.out.bulk(String(usec % 1e6));
  },
} satisfies CommandSpec;
