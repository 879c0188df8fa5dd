import type { CommandSpec } from '../../types';

export const spec = {
  name: 'getname',
  arity: 2,
  flags: ['noscript', 'loading', 'stale', 'sentinel'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Returns the name of this connection, or null when it has none.',
  since: '2.6.9',
  group: 'connection',
  complexity: 'O(1)',
  handler(ctx) {
    if (ctx.client.name === '') ctx.out.nullBulk();
    else ctx.out.bulk(ctx.client.name);
  },
} satisfies CommandSpec;
