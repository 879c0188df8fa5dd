import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'touch',
  arity: -2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  keys: [1, -1, 1],
  keySpecs: [keysAt(1, ['RO'], { lastkey: -1 })],
  summary: 'Marks keys as just accessed and counts how many exist.',
  since: '3.2.1',
  group: 'generic',
  complexity: 'O(N) where N is the number of keys that will be touched.',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  handler(ctx, argv) {
    // TOUCH is what CLIENT NO-TOUCH exempts: it always updates access times, counting hits and misses.
    let touched = 0;
    for (let i = 1; i < argv.length; i++) {
      if (ctx.engine.touch(ctx.client.dbIndex, keyOf(argv[i]!), ctx.nowMs) !== undefined) {
        ctx.server.stats.keyspaceHits++;
        touched++;
      } else {
        ctx.server.stats.keyspaceMisses++;
        ctx.notify('keyMiss', 'keymiss', keyOf(argv[i]!));
      }
    }
    ctx.out.integer(touched);
  },
} satisfies CommandSpec;
