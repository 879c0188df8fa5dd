import type { CommandSpec } from '../types';
import { unsubscribeEach } from './common';

export const spec = {
  name: 'unsubscribe',
  arity: -1,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [0, 0, 0],
  summary: 'Stops listening to the given channels, or to every channel when none is given.',
  since: '2.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
  arguments: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
  handler(ctx, argv) {
    unsubscribeEach(ctx, argv, 'channel');
  },
} satisfies CommandSpec;
