import type { CommandSpec } from '../types';

export const spec = {
  name: 'bgrewriteaof',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Asynchronously rewrites the append-only file to disk.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(1)',
  handler(ctx) {
    // Sluice's log needs no rewrite: a background snapshot lets it drop the segments it covers.
    const result = ctx.server.persistence.bgrewriteaof();
    if ('error' in result) ctx.out.error(result.error);
    else ctx.out.simple(result.ok);
  },
} satisfies CommandSpec;
