// XGROUP DELCONSUMER key group consumer: remove the consumer and its pending entries; replies with
// how many entries it had pending (0 when there was no such consumer).

import type { CommandSpec } from '../../types';
import { commitStream } from '../common';
import { xgroupTargetOrReply } from './common';
import { keysAt } from '../../keyspecs';

export const spec = {
  name: 'delconsumer',
  arity: 5,
  flags: ['write'],
  acl: ['write', 'stream', 'slow'],
  keys: [2, 2, 1],
  keySpecs: [keysAt(2, ['RW', 'DELETE'])],
  summary: 'Removes a consumer from a consumer group.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'groupname', type: 'string' },
    { name: 'consumername', type: 'string' },
  ],
  handler(ctx, argv) {
    const target = xgroupTargetOrReply(ctx, argv, 'delconsumer');
    if (target === null) return;
    const name = argv[4]!.toString('latin1');
    const consumer = target.group!.consumer(name);
    if (consumer === undefined) {
      ctx.out.integer(0);
      return;
    }
    const pending = consumer.pel.size;
    commitStream(ctx, target.key, { op: 'xgroupdelconsumer', group: target.groupName, consumer: name });
    ctx.out.integer(pending);
    ctx.notify('stream', 'xgroup-delconsumer', target.key);
  },
} satisfies CommandSpec;
