import type { CommandSpec } from '../types';
import { subscribeEach } from './common';

export const spec = {
  name: 'psubscribe',
  arity: -2,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [0, 0, 0],
  summary: 'Starts listening to messages published on channels matching the given glob patterns.',
  since: '2.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
  arguments: [{ name: 'pattern', type: 'block', multiple: true, arguments: [{ name: 'pattern', type: 'pattern' }] }],
  handler(ctx, argv) {
    subscribeEach(ctx, argv, 'pattern');
  },
} satisfies CommandSpec;
