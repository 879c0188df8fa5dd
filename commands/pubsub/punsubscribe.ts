import type { CommandSpec } from '../types';
import { unsubscribeEach } from './common';

export const spec = {
  name: 'punsubscribe',
  arity: -1,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [0, 0, 0],
  summary: 'Stops listening to the given patterns, or to every pattern when none is given.',
  since: '2.0.0',
  group: 'pubsub',
  complexity:
    'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
  arguments: [{ name: 'pattern', type: 'pattern', optional: true, multiple: true }],
  handler(ctx, argv) {
    unsubscribeEach(ctx, argv, 'pattern');
  },
} satisfies CommandSpec;
