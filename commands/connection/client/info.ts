import type { CommandSpec } from '../../types';

export const spec = {
  name: 'info',
  arity: 2,
  flags: ['noscript', 'loading', 'stale', 'sentinel'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Describes this connection in the CLIENT LIST format.',
  since: '6.2.0',
  group: 'connection',
  complexity: 'O(1)',
  tips: ['nondeterministic_output'],
  handler(ctx) {
    ctx.out.verbatim(ctx.client.describe() + '\n');
  },
} satisfies CommandSpec;
