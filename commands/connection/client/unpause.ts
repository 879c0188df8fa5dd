import type { CommandSpec } from '../../types';

export const spec = {
  name: 'unpause',
  arity: 2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous', 'connection'],
  keys: [0, 0, 0],
  summary: 'Ends a pause started by CLIENT PAUSE.',
  since: '6.2.0',
  group: 'connection',
  complexity: 'O(N) Where N is the number of paused clients',
  handler(ctx) {
    // Sluice has no CLIENT PAUSE yet, so there is never a pause to end.
    ctx.out.ok();
  },
} satisfies CommandSpec;
