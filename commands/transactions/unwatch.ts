import type { CommandSpec } from '../types';

export const spec = {
  name: 'unwatch',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  acl: ['fast', 'transaction'],
  keys: [0, 0, 0],
  summary: 'Forgets every watched key (and any change seen to them).',
  since: '2.2.0',
  group: 'transactions',
  complexity: 'O(1)',
  handler(ctx) {
    ctx.client.transaction.unwatch();
    ctx.out.ok();
  },
} satisfies CommandSpec;
