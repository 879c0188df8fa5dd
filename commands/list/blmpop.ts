// BLMPOP: LMPOP that waits for an element when every list is empty.

import type { CommandSpec } from '../types';
import { blockOnLists, deadlineOrReply } from './blocking';
import { mpopArgsOrReply, popFirstOrReply } from './mpop';

export const spec = {
  name: 'blmpop',
  arity: -5,
  flags: ['write', 'blocking', 'movablekeys'],
  acl: ['write', 'list', 'slow', 'blocking'],
  keys: [0, 0, 0],
  keySpecs: [
    {
      flags: ['RW', 'ACCESS', 'DELETE'],
      beginSearch: { type: 'index', index: 2 },
      findKeys: { type: 'keynum', keynumidx: 0, firstkey: 1, step: 1 },
    },
  ],
  summary: 'Pops one or more elements from the first non-empty list among several, waiting for one when all are empty.',
  since: '7.0.0',
  group: 'list',
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  arguments: [
    { name: 'timeout', type: 'double' },
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    {
      name: 'where',
      type: 'oneof',
      arguments: [
        { name: 'left', type: 'pure-token', token: 'LEFT' },
        { name: 'right', type: 'pure-token', token: 'RIGHT' },
      ],
    },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
  ],
  handler(ctx, argv) {
    // Redis parses numkeys, the end and COUNT before the timeout.
    const args = mpopArgsOrReply(ctx, argv, 2);
    if (args === null) return;
    const deadlineMs = deadlineOrReply(ctx, argv[1]!);
    if (deadlineMs === null) return;
    const attempt = () => popFirstOrReply(ctx, args.keys, args.where, args.count);
    if (attempt()) return;
    blockOnLists(ctx, args.keys, deadlineMs, attempt, () => ctx.out.nullArray());
  },
} satisfies CommandSpec;
