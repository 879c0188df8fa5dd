import { ERR } from '../errors';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'watch',
  arity: -2,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  acl: ['fast', 'transaction'],
  keys: [1, -1, 1],
  keySpecs: [{ flags: ['RO'], beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: -1, step: 1, limit: 0 } }],
  summary: 'Makes the next EXEC fail if any of these keys changes before it.',
  since: '2.2.0',
  group: 'transactions',
  complexity: 'O(1) for every key.',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }],
  handler(ctx, argv) {
    const transaction = ctx.client.transaction;
    // Refused, but the transaction stays good: WATCH runs rather than being queued.
    if (transaction.active) {
      ctx.out.error(ERR.watchInsideMulti);
      return;
    }
    transaction.watch(argv.slice(1));
    ctx.out.ok();
  },
} satisfies CommandSpec;
