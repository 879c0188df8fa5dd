import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { subscribeEach } from './common';

export const spec = {
  name: 'ssubscribe',
  arity: -2,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  acl: ['pubsub', 'slow'],
  keys: [1, -1, 1],
  keySpecs: [keysAt(1, ['NOT_KEY'], { lastkey: -1 })],
  summary: 'Starts listening to messages published on the given shard channels.',
  since: '7.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of shard channels to subscribe to.',
  arguments: [{ name: 'shardchannel', type: 'string', multiple: true }],
  handler(ctx, argv) {
    subscribeEach(ctx, argv, 'shard');
  },
} satisfies CommandSpec;
