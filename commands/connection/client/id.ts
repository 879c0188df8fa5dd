import type { CommandSpec } from '../../types';

export const spec = {
  name: 'id',
  arity: 2,
  flags: ['noscript', 'loading', 'stale', 'sentinel'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Returns the unique ID of this connection.',
  since: '5.0.0',
  group: 'connection',
  complexity: 'O(1)',
  handler(ctx) {
    ctx.out.integer(ctx.client.id);
  },
} satisfies CommandSpec;
