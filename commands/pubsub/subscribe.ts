import type { CommandSpec } from '../types';
import { subscribeEach } from './common';

export const spec = {
  name: 'subscribe',
  arity: -2,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [0, 0, 0],
  summary: 'Starts listening to messages published on the given channels.',
  since: '2.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of channels to subscribe to.',
  arguments: [{ name: 'channel', type: 'string', multiple: true }],
  handler(ctx, argv) {
    subscribeEach(ctx, argv, 'channel');
  },
} satisfies CommandSpec;
