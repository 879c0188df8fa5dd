import { ERR } from '../errors';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'discard',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  acl: ['fast', 'transaction'],
  keys: [0, 0, 0],
  summary: 'Drops the commands queued since MULTI and unwatches every key.',
  since: '2.0.0',
  group: 'transactions',
  complexity: 'O(N), when N is the number of queued commands',
  handler(ctx) {
    const transaction = ctx.client.transaction;
    if (!transaction.active) {
      ctx.out.error(ERR.noMulti('DISCARD'));
      return;
    }
    transaction.discard();
    ctx.out.ok();
  },
} satisfies CommandSpec;
