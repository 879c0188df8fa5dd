import { ERR } from '../errors';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'exec',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
  acl: ['slow', 'transaction'],
  keys: [0, 0, 0],
  summary: 'Runs every command queued since MULTI, as one transaction.',
  since: '1.2.0',
  group: 'transactions',
  complexity: 'Depends on commands in the transaction',
  handler(ctx) {
    const transaction = ctx.client.transaction;
    if (!transaction.active) {
      ctx.out.error(ERR.noMulti('EXEC'));
      return;
    }
    // -EXECABORT after a refused command, a null array when a watched key changed, else an array
    // of the queued commands' replies.
    transaction.exec();
  },
} satisfies CommandSpec;
