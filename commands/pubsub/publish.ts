import { keyOf } from '../args';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'publish',
  arity: 3,
  flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
  acl: ['pubsub', 'fast'],
  keys: [0, 0, 0],
  summary: 'Sends a message to a channel; replies with how many clients received it.',
  since: '2.0.0',
  group: 'pubsub',
  complexity:
    'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
  arguments: [
    { name: 'channel', type: 'string' },
    { name: 'message', type: 'string' },
  ],
  handler(ctx, argv) {
    const channel = keyOf(argv[1]!);
    ctx.out.integer(ctx.server.pubsub.publish('channel', channel, argv[2]!));
    ctx.server.replication.propagatePublish('channel', channel, argv[2]!);
  },
} satisfies CommandSpec;
