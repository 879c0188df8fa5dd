import type { CommandSpec } from '../../types';
import { replyActiveChannels } from './common';

export const spec = {
  name: 'channels',
  arity: -2,
  flags: ['pubsub', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [0, 0, 0],
  summary: 'Lists the channels that have subscribers, optionally those matching a pattern.',
  since: '2.8.0',
  group: 'pubsub',
  complexity:
    'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
  arguments: [{ name: 'pattern', type: 'pattern', optional: true }],
  handler(ctx, argv) {
    replyActiveChannels(ctx, argv, 'channel');
  },
} satisfies CommandSpec;
