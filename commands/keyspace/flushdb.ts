import type { CommandSpec } from '../types';
import { FLUSH_HISTORY, FLUSH_MODE_ARG, flushModeOkOrReply } from './common';

export const spec = {
  name: 'flushdb',
  arity: -1,
  flags: ['write'],
  acl: ['keyspace', 'write', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Deletes every key of the selected database.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(N) where N is the number of keys in the selected database',
  history: FLUSH_HISTORY,
  arguments: [FLUSH_MODE_ARG],
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  handler(ctx, argv) {
    if (!flushModeOkOrReply(ctx.out, argv)) return;
    // Committed even when the database is already empty, so the log and replicas see it too.
    ctx.commit({ op: 'flushdb', db: ctx.client.dbIndex });
    ctx.out.ok();
  },
} satisfies CommandSpec;
