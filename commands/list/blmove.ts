// BLMOVE: LMOVE that waits for an element when the source list is empty.

import type { CommandSpec } from '../types';
import { keysAt } from '../keyspecs';
import { deadlineOrReply } from './blocking';
import { blockingMove } from './bmove';
import { endOrReply } from './common';

const END = {
  type: 'oneof',
  arguments: [
    { name: 'left', type: 'pure-token', token: 'LEFT' },
    { name: 'right', type: 'pure-token', token: 'RIGHT' },
  ],
} as const;

export const spec = {
  name: 'blmove',
  arity: 6,
  flags: ['write', 'denyoom', 'noscript', 'blocking'],
  acl: ['write', 'list', 'slow', 'blocking'],
  keys: [1, 2, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'DELETE']), keysAt(2, ['RW', 'INSERT'])],
  summary: 'Moves an element from one end of a list to one end of another (or the same) list and returns it, waiting for one when the source is empty.',
  since: '6.2.0',
  group: 'list',
  complexity: 'O(1)',
  arguments: [
    { name: 'source', type: 'key', keySpecIndex: 0 },
    { name: 'destination', type: 'key', keySpecIndex: 1 },
    { name: 'wherefrom', ...END },
    { name: 'whereto', ...END },
    { name: 'timeout', type: 'double' },
  ],
  handler(ctx, argv) {
    const whereFrom = endOrReply(ctx.out, argv[3]!);
    if (whereFrom === null) return;
    const whereTo = endOrReply(ctx.out, argv[4]!);
    if (whereTo === null) return;
    const deadlineMs = deadlineOrReply(ctx, argv[5]!);
    if (deadlineMs === null) return;
    blockingMove(ctx, argv, whereFrom, whereTo, deadlineMs);
  },
} satisfies CommandSpec;
