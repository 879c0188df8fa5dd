// XGROUP DESTROY key group: remove the group with its consumers and PEL; 1 when it existed.

import type { CommandSpec } from '../../types';
import { commitStream } from '../common';
import { xgroupTargetOrReply } from './common';
import { keysAt } from '../../keyspecs';

export const spec = {
  name: 'destroy',
  arity: 4,
  flags: ['write'],
  acl: ['write', 'stream', 'slow'],
  keys: [2, 2, 1],
  keySpecs: [keysAt(2, ['RW', 'DELETE'])],
  summary: 'Removes a consumer group.',
  since: '5.0.0',
  group: 'stream',
  complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'groupname', type: 'string' },
  ],
  handler(ctx, argv) {
    const target = xgroupTargetOrReply(ctx, argv, 'destroy');
    if (target === null) return;
    if (target.group === undefined) {
      ctx.out.integer(0);
      return;
    }
    commitStream(ctx, target.key, { op: 'xgroupdestroy', group: target.groupName });
    ctx.out.integer(1);
    ctx.notify('stream', 'xgroup-destroy', target.key);
  },
} satisfies CommandSpec;
