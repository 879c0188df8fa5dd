import { ERR } from '../errors';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'multi',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  acl: ['fast', 'transaction'],
  keys: [0, 0, 0],
  summary: 'Starts a transaction: later commands are queued until EXEC.',
  since: '1.2.0',
  group: 'transactions',
  complexity: 'O(1)',
  handler(ctx) {
    const transaction = ctx.client.transaction;
    if (transaction.active) {
      ctx.out.error(ERR.multiNested);
      return;
    }
    transaction.begin();
    ctx.out.ok();
  },
} satisfies CommandSpec;
