import type { CommandSpec } from '../../types';
import { replySubscriberCounts } from './common';

export const spec = {
  name: 'shardnumsub',
  arity: -2,
  flags: ['pubsub', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [0, 0, 0],
  summary: 'Counts the subscribers of each given shard channel.',
  since: '7.0.0',
  group: 'pubsub',
  complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
  arguments: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
  handler(ctx, argv) {
    replySubscriberCounts(ctx, argv, 'shard');
  },
} satisfies CommandSpec;
