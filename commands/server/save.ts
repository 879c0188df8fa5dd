import type { CommandSpec } from '../types';

export const spec = {
  name: 'save',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Synchronously saves the database(s) to disk.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(N) where N is the total number of keys in all databases',
  handler(ctx) {
    // Blocks the server until the snapshot is durable, as Redis's SAVE does.
    const error = ctx.server.persistence.save();
    if (error !== null) ctx.out.error(error);
    else ctx.out.ok();
  },
} satisfies CommandSpec;
