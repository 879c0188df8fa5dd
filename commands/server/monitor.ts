import type { CommandSpec } from '../types';
import { clientFlags } from '../connection/client/common';

export const spec = {
  name: 'monitor',
  arity: 1,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Streams every command the server runs to this connection.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(1)',
  handler(ctx) {
    // A connection already monitoring gets no second +OK, as in Redis.
    if (clientFlags(ctx.client).includes('O')) return;
    ctx.client.startMonitor();
    ctx.out.ok();
  },
} satisfies CommandSpec;
