import type { CommandSpec } from '../types';

export const spec = {
  name: 'sync',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Internal command used for replication',
  since: '1.0.0',
  group: 'server',
  handler(ctx) {
    // The old protocol: a full resync, the snapshot sent as a bulk without a +FULLRESYNC line.
    const error = ctx.server.replication.sync(ctx.client, null, 0);
    if (error !== null) ctx.out.error(error);
  },
} satisfies CommandSpec;
