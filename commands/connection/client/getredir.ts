import type { CommandSpec } from '../../types';

export const spec = {
  name: 'getredir',
  arity: 2,
  flags: ['noscript', 'loading', 'stale'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Returns the ID tracking notifications are redirected to, -1 when there is none.',
  since: '6.0.0',
  group: 'connection',
  complexity: 'O(1)',
  handler(ctx) {
    // Sluice has no client-side caching: tracking is never on.
    ctx.out.integer(-1);
  },
} satisfies CommandSpec;
