// XGROUP CREATECONSUMER key group consumer: 1 when the consumer was created, 0 when it existed.

import type { CommandSpec } from '../../types';
import { commitStream } from '../common';
import { xgroupTargetOrReply } from './common';
import { keysAt } from '../../keyspecs';

export const spec = {
  name: 'createconsumer',
  arity: 5,
  flags: ['write', 'denyoom'],
  acl: ['write', 'stream', 'slow'],
  keys: [2, 2, 1],
  keySpecs: [keysAt(2, ['RW', 'INSERT'])],
  summary: 'Adds a consumer to a consumer group.',
  since: '6.2.0',
  group: 'stream',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'groupname', type: 'string' },
    { name: 'consumername', type: 'string' },
  ],
  handler(ctx, argv) {
    const target = xgroupTargetOrReply(ctx, argv, 'createconsumer');
    if (target === null) return;
    const consumer = argv[4]!.toString('latin1');
    if (target.group!.consumer(consumer) !== undefined) {
      ctx.out.integer(0);
      return;
    }
    commitStream(ctx, target.key, { op: 'xgroupcreateconsumer', group: target.groupName, consumer, atMs: ctx.nowMs });
    ctx.out.integer(1);
    ctx.notify('stream', 'xgroup-createconsumer', target.key);
  },
} satisfies CommandSpec;
