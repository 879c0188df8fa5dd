import type { CommandSpec } from '../../types';
import { replyActiveChannels } from './common';

export const spec = {
  name: 'shardchannels',
  arity: -2,
  flags: ['pubsub', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [0, 0, 0],
  summary: 'Lists the shard channels that have subscribers, optionally those matching a pattern.',
  since: '7.0.0',
  group: 'pubsub',
  complexity:
    'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
  arguments: [{ name: 'pattern', type: 'pattern', optional: true }],
  handler(ctx, argv) {
    replyActiveChannels(ctx, argv, 'shard');
  },
} satisfies CommandSpec;
