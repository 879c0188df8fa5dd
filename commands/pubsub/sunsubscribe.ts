import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { unsubscribeEach } from './common';

export const spec = {
  name: 'sunsubscribe',
  arity: -1,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [1, -1, 1],
  keySpecs: [keysAt(1, ['NOT_KEY'], { lastkey: -1 })],
  summary: 'Stops listening to the given shard channels, or to every shard channel when none is given.',
  since: '7.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
  arguments: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
  handler(ctx, argv) {
    unsubscribeEach(ctx, argv, 'shard');
  },
} satisfies CommandSpec;
