import type { CommandSpec } from '../types';

export const spec = {
  name: 'quit',
  arity: -1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  acl: ['fast', 'connection'],
  keys: [0, 0, 0],
  summary: 'Closes the connection once the reply is sent.',
  since: '1.0.0',
  group: 'connection',
  complexity: 'O(1)',
  // Deprecated in 7.2 (clients should just close the connection), but still answered.
  docFlags: ['deprecated'],
  deprecatedSince: '7.2.0',
  replacedBy: 'just closing the connection',
  handler(ctx) {
    ctx.out.ok();
    ctx.client.closeAfterReply();
  },
} satisfies CommandSpec;
