import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'spublish',
  arity: 3,
  flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
  acl: ['pubsub', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['NOT_KEY'])],
  summary: 'Sends a message to a shard channel; replies with how many clients received it.',
  since: '7.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
  arguments: [
    { name: 'shardchannel', type: 'string' },
    { name: 'message', type: 'string' },
  ],
  handler(ctx, argv) {
    const channel = keyOf(argv[1]!);
    ctx.out.integer(ctx.server.pubsub.publish('shard', channel, argv[2]!));
    ctx.server.replication.propagatePublish('shard', channel, argv[2]!);
  },
} satisfies CommandSpec;
