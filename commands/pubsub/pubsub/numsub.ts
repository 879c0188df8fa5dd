import type { CommandSpec } from '../../types';
import { replySubscriberCounts } from './common';

export const spec = {
  name: 'numsub',
  arity: -2,
  flags: ['pubsub', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [0, 0, 0],
  summary: 'Counts the subscribers of each given channel.',
  since: '2.8.0',
  group: 'pubsub',
  complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
  arguments: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
  handler(ctx, argv) {
    replySubscriberCounts(ctx, argv, 'channel');
  },
} satisfies CommandSpec;
