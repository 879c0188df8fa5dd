import type { CommandSpec } from '../types';
import { FLUSH_HISTORY, FLUSH_MODE_ARG, flushModeOkOrReply } from './common';

export const spec = {
  name: 'flushall',
  arity: -1,
  flags: ['write'],
  acl: ['keyspace', 'write', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Deletes every key of every database.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(N) where N is the total number of keys in all databases',
  history: FLUSH_HISTORY,
  arguments: [FLUSH_MODE_ARG],
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  handler(ctx, argv) {
    if (!flushModeOkOrReply(ctx.out, argv)) return;
    // Committed even when everything is already empty, so the log and replicas see it too.
    ctx.commit({ op: 'flushall' });
    ctx.out.ok();
  },
} satisfies CommandSpec;
